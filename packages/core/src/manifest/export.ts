/**
 * `links export`: the vault's links as manifest entries, merged into an existing manifest.
 * Only links go in: a local secret's value never does, and neither does any session. Each
 * link is written as the `vaultlink link` flags that recreate it, checked by parsing them again.
 */
import { IssueList } from '../errors.js';
import type { SecretEntry } from '../model.js';
import { linkFlagsOf } from '../sdk/link-flags.js';
import { stableStringify } from '../vault/link-key.js';
import type { VaultApi } from '../vault-api.js';
import { emptyLinkManifest, type LinkManifest, type ManifestEntry } from './format.js';

export type ManifestChange = 'added' | 'changed' | 'unchanged';

export interface ExportResult {
  /** The manifest to write: the existing one with these links added or replaced. */
  manifest: LinkManifest;
  changes: Array<{ name: string; change: ManifestChange }>;
  /** Secrets left out when exporting everything: local values. */
  skipped: Array<{ name: string; reason: string }>;
}

/** Exports `names` (default: every linked secret). A named secret that is missing or local is an error. */
export async function exportLinks(vault: VaultApi, existing: LinkManifest | undefined, names?: readonly string[]): Promise<ExportResult> {
  const explicit = names !== undefined && names.length > 0;
  const wanted = explicit ? [...new Set(names)] : (await vault.list()).map((info) => info.name);
  const issues = new IssueList();
  const skipped: ExportResult['skipped'] = [];
  const entries = new Map<string, ManifestEntry>();
  for (const name of wanted) {
    const entry = await vault.entry(name);
    if (!entry) {
      issues.add(name, 'is not a secret in this vault', 'the name of a linked secret (see `vaultlink list`)');
      continue;
    }
    if (entry.secret.kind === 'local') {
      if (explicit)
        issues.add(name, 'is a local secret: its value stays in your vault', 'the name of a linked secret; a manifest holds links only');
      else skipped.push({ name, reason: 'local value (only links are exported)' });
      continue;
    }
    const made = await manifestEntryOf(vault, entry, issues);
    if (made) entries.set(name, made);
  }
  issues.throwIfAny('INVALID_INPUT', 'These secrets cannot be exported to the link manifest.', {
    fix: { action: 'list', hint: 'export linked secrets only' },
  });

  const manifest: LinkManifest = existing ? { ...existing, links: { ...existing.links } } : emptyLinkManifest();
  const changes: ExportResult['changes'] = [];
  for (const [name, made] of entries) {
    const before = manifest.links[name];
    changes.push({ name, change: !before ? 'added' : stableStringify(before) === stableStringify(made) ? 'unchanged' : 'changed' });
    manifest.links[name] = made;
  }
  return { manifest, changes, skipped };
}

async function manifestEntryOf(vault: VaultApi, entry: SecretEntry, issues: IssueList): Promise<ManifestEntry | undefined> {
  if (entry.secret.kind !== 'linked') return undefined;
  const provider = await vault.provider(entry.secret.provider);
  const flags = linkFlagsOf(provider, entry.secret.link);
  if (!flags.ok) {
    issues.add(
      entry.name,
      `cannot be written as link flags: ${flags.problem}`,
      `a provider whose link fields are its link flags (report it to the ${entry.secret.provider} provider's authors)`,
    );
    return undefined;
  }
  return { provider: entry.secret.provider, link: flags.flags, allowedDomains: [...entry.allowedDomains] };
}
