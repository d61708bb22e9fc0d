/**
 * What a long-lived host (the agent) needs to see and keep honest about the cache: the
 * cached links with the names that use them (never values), and pruning after the vault
 * changed under it, so a value is never served for a link, secret or integration that is
 * gone, disabled or replaced.
 */
import type { VaultData } from '../model.js';
import type { VaultContext } from './context.js';
import { linkCacheKey, providerOfCacheKey } from './link-key.js';
import { isLoggedOut } from './sessions.js';

/** A cached value as a status screen shows it. */
export interface CachedValueInfo {
  provider: string;
  /** Secret names currently linked to this value. */
  names: string[];
  fetchedAt: string;
  expiresAt: string;
}

export function cachedValues(ctx: VaultContext, data: VaultData): CachedValueInfo[] {
  const namesByKey = new Map<string, string[]>();
  for (const entry of Object.values(data.secrets)) {
    if (entry.secret.kind !== 'linked') continue;
    const key = linkCacheKey(entry.secret.provider, entry.secret.link);
    namesByKey.set(key, [...(namesByKey.get(key) ?? []), entry.name]);
  }
  return ctx.cache.list(data.settings.cacheExpiryMinutes).map((item) => ({
    provider: providerOfCacheKey(item.key),
    names: (namesByKey.get(item.key) ?? []).sort(),
    fetchedAt: new Date(item.fetchedAt).toISOString(),
    expiresAt: new Date(item.expiresAt).toISOString(),
  }));
}

/**
 * Drops every cached value that `data` no longer justifies: its link is not used by an
 * enabled secret, or its provider's integration is gone, signed out, or was connected anew
 * since the value was fetched (another organization may sit behind the same link).
 */
export function pruneCache(ctx: VaultContext, data: VaultData): void {
  const live = new Set<string>();
  for (const entry of Object.values(data.secrets)) {
    if (entry.enabled && entry.secret.kind === 'linked') live.add(linkCacheKey(entry.secret.provider, entry.secret.link));
  }
  const stamps = ctx.integrationStamps;
  const replaced = new Set<string>();
  for (const [provider, stamp] of stamps) {
    const integration = data.integrations[provider];
    if (!integration || isLoggedOut(integration) || integration.connectedAt !== stamp) replaced.add(provider);
  }
  stamps.clear();
  for (const integration of Object.values(data.integrations)) {
    if (!isLoggedOut(integration)) stamps.set(integration.provider, integration.connectedAt);
  }
  ctx.cache.deleteWhere((key) => {
    const provider = providerOfCacheKey(key);
    return !live.has(key) || replaced.has(provider) || !stamps.has(provider);
  });
  for (const [name, keys] of ctx.keysByName) {
    for (const key of keys) if (!live.has(key)) keys.delete(key);
    if (keys.size === 0) ctx.keysByName.delete(name);
  }
}
