/** Local secrets and links in the vault: create, relink, rename, remove, enable, list, show. */
import type { AnyProvider, LinkSummary, ProviderFields } from '../contract.js';
import { VaultError, isVaultError } from '../errors.js';
import type { SecretEntry, VaultData } from '../model.js';
import { normalizeDomains } from '../domains.js';
import { assertSecretName } from '../names.js';
import type { SecretInfo } from '../vault-api.js';
import type { VaultContext } from './context.js';
import { toVaultError } from './error-mapping.js';
import { linkCacheKey } from './link-key.js';

export async function setLocal(ctx: VaultContext, name: string, value: string, options: { allowedDomains?: string[] } = {}): Promise<void> {
  assertSecretName(name);
  if (typeof value !== 'string') {
    throw new VaultError('INVALID_INPUT', 'Invalid secret value.', {
      issues: [{ field: 'value', problem: 'is not text', expected: 'a string' }],
    });
  }
  const domains = options.allowedDomains === undefined ? undefined : normalizeDomains(options.allowedDomains);
  const previous = await ctx.store.update((data) => {
    const old = data.secrets[name];
    data.secrets[name] = entryFor(ctx, name, old, { kind: 'local', value }, domains);
    return old;
  });
  dropEntryCache(ctx, name, previous);
}

export async function link(
  ctx: VaultContext,
  name: string,
  providerId: string,
  fields: ProviderFields,
  options: { allowedDomains?: string[] } = {},
): Promise<{ warnings: string[] }> {
  assertSecretName(name);
  const domains = options.allowedDomains === undefined ? undefined : normalizeDomains(options.allowedDomains);
  const provider = await ctx.getProvider(providerId);
  const parsed = parseLink(provider, providerId, fields);
  const warnings = provider.linkWarnings ? provider.linkWarnings(parsed) : [];
  const linkJson = JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>;
  const previous = await ctx.store.update((data) => {
    const old = data.secrets[name];
    data.secrets[name] = entryFor(ctx, name, old, { kind: 'linked', provider: providerId, link: linkJson }, domains);
    return old;
  });
  // Relinking drops the old value, and any value cached for the new link (a fresh link reads fresh).
  dropEntryCache(ctx, name, previous);
  forgetLinkKey(ctx, linkCacheKey(providerId, linkJson));
  return { warnings };
}

export async function setAllowedDomains(ctx: VaultContext, name: string, domains: string[]): Promise<void> {
  const normalized = normalizeDomains(domains);
  await ctx.store.update((data) => {
    const entry = existing(data, name);
    entry.allowedDomains = normalized;
    entry.updatedAt = new Date(ctx.now()).toISOString();
  });
}

export async function remove(ctx: VaultContext, name: string): Promise<void> {
  const removed = await ctx.store.update((data) => {
    const entry = existing(data, name);
    delete data.secrets[name];
    return entry;
  });
  dropEntryCache(ctx, name, removed);
}

export async function rename(ctx: VaultContext, from: string, to: string): Promise<void> {
  assertSecretName(to, 'to');
  if (from === to) {
    await show(ctx, from); // still NOT_FOUND for a missing name
    return;
  }
  await ctx.store.update((data) => {
    const entry = existing(data, from);
    if (data.secrets[to]) {
      throw new VaultError('INVALID_INPUT', `A secret named "${to}" already exists.`, {
        issues: [{ field: 'to', problem: 'a secret with this name exists', expected: 'a new name' }],
        fix: { action: 'remove', name: to, hint: 'or choose another name' },
      });
    }
    delete data.secrets[from];
    data.secrets[to] = { ...entry, name: to, updatedAt: new Date(ctx.now()).toISOString() };
  });
  const keys = ctx.keysByName.get(from);
  if (keys) {
    ctx.keysByName.delete(from);
    ctx.keysByName.set(to, keys);
  }
}

export async function setEnabled(ctx: VaultContext, name: string, enabled: boolean): Promise<void> {
  await ctx.store.update((data) => {
    const entry = existing(data, name);
    entry.enabled = enabled;
    entry.updatedAt = new Date(ctx.now()).toISOString();
  });
}

export async function list(ctx: VaultContext, filter?: string): Promise<SecretInfo[]> {
  const data = await ctx.store.read();
  const needle = filter?.trim().toLowerCase();
  const infos: SecretInfo[] = [];
  for (const entry of Object.values(data.secrets).sort((a, b) => a.name.localeCompare(b.name))) {
    const info = await describeEntry(ctx, data, entry);
    if (!needle || matchesFilter(info, needle)) infos.push(info);
  }
  return infos;
}

export async function show(ctx: VaultContext, name: string): Promise<SecretInfo> {
  const data = await ctx.store.read();
  return describeEntry(ctx, data, existing(data, name));
}

export async function entry(ctx: VaultContext, name: string): Promise<SecretEntry | undefined> {
  return (await ctx.store.read()).secrets[name];
}

export function notFound(name: string): VaultError {
  return new VaultError('NOT_FOUND', `No secret named "${name}".`, { fix: { action: 'list' }, details: { name } });
}

/** SecretInfo without any value; linked secrets get the provider's summary and this process's cache times. */
export async function describeEntry(ctx: VaultContext, data: VaultData, entry: SecretEntry): Promise<SecretInfo> {
  const info: SecretInfo = {
    name: entry.name,
    kind: entry.secret.kind,
    enabled: entry.enabled,
    allowedDomains: [...entry.allowedDomains],
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
  if (entry.secret.kind === 'linked') {
    const { provider: providerId, link: stored } = entry.secret;
    info.provider = providerId;
    const summary = await summarize(ctx, providerId, stored);
    info.identifier = summary.identifier;
    if (summary.version !== undefined) info.version = summary.version;
    if (summary.extra) info.extra = summary.extra;
    const times = ctx.cache.times(linkCacheKey(providerId, stored), data.settings.cacheExpiryMinutes);
    if (times.lastFetchedAt !== undefined) info.lastFetchedAt = new Date(times.lastFetchedAt).toISOString();
    if (times.expiresAt !== undefined) info.cacheExpiresAt = new Date(times.expiresAt).toISOString();
  }
  return info;
}

async function summarize(ctx: VaultContext, providerId: string, stored: Record<string, unknown>): Promise<LinkSummary> {
  let provider: AnyProvider;
  try {
    provider = await ctx.getProvider(providerId);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    // Listing must work without the provider installed: show the stored link fields instead.
    return {
      identifier:
        Object.values(stored)
          .filter((v) => typeof v === 'string')
          .join(' ') || providerId,
    };
  }
  try {
    return provider.summarize(stored);
  } catch (error) {
    throw toVaultError(error, providerId);
  }
}

function parseLink(provider: AnyProvider, providerId: string, fields: ProviderFields): object {
  try {
    return provider.parseLink(fields);
  } catch (error) {
    const mapped = toVaultError(error, providerId);
    if (mapped.code === 'INTERNAL') {
      throw new VaultError('INVALID_LINK', `The ${providerId} provider rejected the link.`, {
        provider: providerId,
        fix: {
          action: 'report',
          hint: `if the link options are right (see the link help), the ${providerId} provider failed to parse them`,
        },
        cause: error,
      });
    }
    throw mapped;
  }
}

function entryFor(
  ctx: VaultContext,
  name: string,
  old: SecretEntry | undefined,
  secret: SecretEntry['secret'],
  domains: string[] | undefined,
): SecretEntry {
  const now = new Date(ctx.now()).toISOString();
  return {
    name,
    secret,
    allowedDomains: domains ?? old?.allowedDomains ?? [],
    enabled: old?.enabled ?? true,
    createdAt: old?.createdAt ?? now,
    updatedAt: now,
  };
}

function existing(data: VaultData, name: string): SecretEntry {
  const entry = data.secrets[name];
  if (!entry) throw notFound(name);
  return entry;
}

/** Forgets what this process cached for `name`: values it resolved under that name, and the value of `entry`'s link. */
export function dropEntryCache(ctx: VaultContext, name: string, entry: SecretEntry | undefined): void {
  for (const key of ctx.keysByName.get(name) ?? []) forgetLinkKey(ctx, key);
  ctx.keysByName.delete(name);
  if (entry?.secret.kind === 'linked') forgetLinkKey(ctx, linkCacheKey(entry.secret.provider, entry.secret.link));
}

/** Drops the cached value of a link and its in-flight fetch, so the next read goes upstream. */
function forgetLinkKey(ctx: VaultContext, key: string): void {
  ctx.cache.delete(key);
  ctx.flights.forget(key);
}

function matchesFilter(info: SecretInfo, needle: string): boolean {
  return [info.name, info.provider, info.identifier].some((text) => text?.toLowerCase().includes(needle));
}
