/**
 * `links sync`: makes the member's vault hold the manifest's links. First a plan (what would
 * be added, changed, left alone or kept), validated as a whole, so a bad entry stops the sync
 * before anything is written; then the plan is applied link by link. A local value is never
 * replaced without `force`; secrets the manifest does not name are never touched.
 */
import type { AnyProvider } from '../contract.js';
import { IssueList, isVaultError } from '../errors.js';
import type { SecretEntry } from '../model.js';
import { fieldsOf, type LinkFlags } from '../sdk/link-flags.js';
import { normalizeDomains } from '../domains.js';
import { stableStringify } from '../vault/link-key.js';
import type { VaultApi } from '../vault-api.js';
import type { LinkManifest } from './format.js';

export type SyncStatus = 'added' | 'changed' | 'unchanged' | 'kept';

export interface SyncDifference {
  /** A link flag (`arn`), `provider`, `allowedDomains`, or `value` (a local value the link replaces). */
  field: string;
  from?: string;
  to?: string;
}

export interface SyncItem {
  name: string;
  status: SyncStatus;
  provider: string;
  link: LinkFlags;
  /** The manifest's domains; undefined leaves the vault's as they are. */
  allowedDomains?: string[];
  differences: SyncDifference[];
  /** Why a `kept` secret was left alone. */
  reason?: string;
}

export interface SyncOptions {
  /** Replace local values with the manifest's links. @default false */
  force?: boolean;
  /** Only these names (each must be in the manifest). @default every entry */
  names?: readonly string[];
}

/** What a sync would do, without changing anything. Throws INVALID_CONFIG listing every bad entry and field. */
export async function planLinkSync(vault: VaultApi, manifest: LinkManifest, path: string, options: SyncOptions = {}): Promise<SyncItem[]> {
  const issues = new IssueList();
  const names = options.names?.length ? [...new Set(options.names)] : Object.keys(manifest.links).sort();
  const items: SyncItem[] = [];
  for (const name of names) {
    const entry = manifest.links[name];
    if (!entry) {
      issues.add(name, `is not in ${path}`, `one of the manifest's names: ${Object.keys(manifest.links).sort().join(', ') || '(none)'}`);
      continue;
    }
    const parsed = await parseEntry(vault, name, entry.provider, entry.link, issues);
    const domains = entry.allowedDomains === undefined ? undefined : normalizeDomains(entry.allowedDomains, `links.${name}.allowedDomains`);
    if (!parsed) continue;
    const current = await vault.entry(name);
    items.push(itemFor(name, entry.provider, entry.link, domains, parsed, current, options.force === true));
  }
  issues.throwIfAny('INVALID_CONFIG', `The link manifest ${path} has entries that cannot be linked. Nothing was changed.`, {
    fix: `correct those entries in ${path}, or export them again with \`vaultlink links export NAME\``,
    details: { path },
  });
  return items;
}

/** Applies the `added` and `changed` items of a plan. */
export async function applyLinkSync(vault: VaultApi, plan: readonly SyncItem[]): Promise<void> {
  for (const item of plan) {
    if (item.status !== 'added' && item.status !== 'changed') continue;
    await vault.link(item.name, item.provider, fieldsOf(item.link), item.allowedDomains ? { allowedDomains: item.allowedDomains } : {});
  }
}

/** The provider's own link for the entry's flags, or undefined with its problems in `issues` (fields under `links.NAME`). */
async function parseEntry(
  vault: VaultApi,
  name: string,
  providerId: string,
  flags: LinkFlags,
  issues: IssueList,
): Promise<object | undefined> {
  let provider: AnyProvider;
  try {
    provider = await vault.provider(providerId);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    issues.add(
      `links.${name}.provider`,
      `"${providerId}" cannot be loaded (${error.code}: ${error.message.split('\n')[0]})`,
      'an installed provider: aws, azure, hashicorp or a vaultlink-provider-<id> package',
    );
    return undefined;
  }
  try {
    return provider.parseLink(fieldsOf(flags));
  } catch (error) {
    if (!isVaultError(error)) throw error;
    if (error.issues.length === 0)
      issues.add(`links.${name}.link`, error.message.split('\n')[0]!, `the flags of \`vaultlink link NAME --provider ${providerId}\``);
    for (const issue of error.issues) issues.add(`links.${name}.link.${issue.field}`, issue.problem, issue.expected);
    return undefined;
  }
}

function itemFor(
  name: string,
  provider: string,
  link: LinkFlags,
  domains: string[] | undefined,
  parsed: object,
  current: SecretEntry | undefined,
  force: boolean,
): SyncItem {
  const base = { name, provider, link, ...(domains ? { allowedDomains: domains } : {}) };
  if (!current) return { ...base, status: 'added', differences: [] };
  if (current.secret.kind === 'local') {
    const differences = [{ field: 'value', from: 'local value', to: `link to ${provider}` }];
    return force
      ? { ...base, status: 'changed', differences }
      : { ...base, status: 'kept', differences, reason: 'it holds a local value; --force replaces it with the link' };
  }
  const differences: SyncDifference[] = [];
  if (current.secret.provider !== provider) differences.push({ field: 'provider', from: current.secret.provider, to: provider });
  else if (stableStringify(current.secret.link) !== stableStringify(parsed))
    differences.push(...flagDifferences(current.secret.link, link));
  if (domains && stableStringify(domains) !== stableStringify(current.allowedDomains)) {
    differences.push({ field: 'allowedDomains', from: domainText(current.allowedDomains), to: domainText(domains) });
  }
  return { ...base, status: differences.length ? 'changed' : 'unchanged', differences };
}

/** Flag by flag, from the stored link's fields (camelCase) to the manifest's flags. */
function flagDifferences(stored: Record<string, unknown>, flags: LinkFlags): SyncDifference[] {
  const before = new Map<string, string>();
  for (const [key, value] of Object.entries(stored))
    before.set(
      key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
      flagText(value),
    );
  const after = new Map(Object.entries(flags).map(([flag, value]) => [flag, flagText(value)]));
  const differences: SyncDifference[] = [];
  for (const flag of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const from = before.get(flag);
    const to = after.get(flag);
    if (from !== to) differences.push({ field: flag, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  }
  // Same flags in other words (e.g. a version typed as "03"): the provider's link still differs.
  return differences.length ? differences : [{ field: 'link', from: 'stored link', to: 'manifest link' }];
}

function flagText(value: unknown): string {
  if (value === true) return 'on';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function domainText(domains: readonly string[]): string {
  return domains.length ? domains.join(',') : '(any host)';
}
