/**
 * Resolving names to values. Local secrets come from the vault; linked ones from the
 * cache or, on a miss, from their provider: concurrent requests for one link share one
 * fetch (singleflight), links requested within a tick go to the provider in batches
 * grouped by document, and upstream calls run with bounded concurrency. Each name gets
 * its own Resolution; one bad name never fails the others.
 */
import type { AnyProvider, Session } from '../contract.js';
import { VaultError } from '../errors.js';
import type { Fix } from '../fixes.js';
import type { Integration, SecretEntry, VaultData } from '../model.js';
import { throwIfAborted } from '../cache/abort.js';
import { readLinks } from '../engine/read-links.js';
import { MicroBatcher, type BatchResult } from '../cache/batcher.js';
import type { Resolution, UnresolvedReason } from '../vault-api.js';
import type { FetchItem, FetchedValue, VaultContext } from './context.js';
import { reasonForCode, toVaultError, withFix } from './error-mapping.js';
import { linkCacheKey } from './link-key.js';
import { ensureSession, reauthFix } from './sessions.js';
import { dropProviderCache, teamDisconnection } from './team-binding.js';

export interface Outcome {
  resolution: Resolution;
  /** The error `get` throws for this name. */
  error?: VaultError;
}

export interface ResolveOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export async function resolveOutcomes(
  ctx: VaultContext,
  names: readonly string[],
  options: ResolveOptions = {},
): Promise<Map<string, Outcome>> {
  throwIfAborted(options.signal);
  const unique = [...new Set(names)];
  const data = await ctx.store.read();
  const ttl = data.settings.cacheExpiryMinutes;
  const outcomes = new Map<string, Outcome>();
  let done = 0;
  const settle = (name: string, outcome: Outcome): void => {
    outcomes.set(name, outcome);
    options.onProgress?.(++done, unique.length);
  };

  const linkedByProvider = new Map<string, SecretEntry[]>();
  for (const name of unique) {
    let entry = data.secrets[name];
    if (!entry && ctx.manifest) {
      // The vault first (a disabled entry stays disabled), then the manifest named by VAULTLINK_LINKS.
      const fallback = await ctx.manifest.lookup(name);
      if (fallback && !fallback.ok) {
        settle(name, failed(name, fallback.error, fallback.error.provider ?? ''));
        continue;
      }
      entry = fallback?.entry;
    }
    if (!entry) settle(name, unresolved(name, 'missing', `No secret named "${name}".`, { action: 'set', name }));
    else if (!entry.enabled) settle(name, unresolved(name, 'disabled', `The secret "${name}" is disabled.`, { action: 'enable', name }));
    else if (entry.secret.kind === 'local')
      settle(name, { resolution: { name, ok: true, value: entry.secret.value, allowedDomains: entry.allowedDomains, source: 'local' } });
    else {
      const list = linkedByProvider.get(entry.secret.provider) ?? [];
      list.push(entry);
      linkedByProvider.set(entry.secret.provider, list);
    }
  }

  await Promise.all(
    [...linkedByProvider].map(([providerId, entries]) => resolveLinked(ctx, data, providerId, entries, ttl, options.signal, settle)),
  );
  throwIfAborted(options.signal);
  return new Map(names.map((name) => [name, outcomes.get(name)!]));
}

async function resolveLinked(
  ctx: VaultContext,
  data: VaultData,
  providerId: string,
  entries: SecretEntry[],
  ttl: number,
  signal: AbortSignal | undefined,
  settle: (name: string, outcome: Outcome) => void,
): Promise<void> {
  // Every entry unresolved as disconnected: the provider is not connected, or the team unbound it.
  const disconnected = (why: string, fix: Fix): void => {
    for (const entry of entries)
      settle(entry.name, unresolved(entry.name, 'disconnected', `The secret "${entry.name}" is linked to ${providerId}${why}`, fix));
  };
  const integration = data.integrations[providerId];
  if (!integration) {
    disconnected(', which is not connected.', { action: 'connect', provider: providerId });
    return;
  }
  // Before the cache: an admin's team-level disconnect reaches this member, cached values included.
  let unbound: VaultError | undefined;
  try {
    unbound = await teamDisconnection(ctx, integration as Integration);
  } catch (error) {
    const mapped = toVaultError(error, providerId); // e.g. a malformed team config: fail closed
    for (const entry of entries) settle(entry.name, failed(entry.name, mapped, providerId));
    return;
  }
  if (unbound) {
    dropProviderCache(ctx, providerId);
    disconnected(`. ${unbound.message.split('\n')[0]}`, unbound.fix ?? { action: 'connect', provider: providerId });
    return;
  }
  const misses: Array<{ entry: SecretEntry; link: Record<string, unknown>; key: string }> = [];
  for (const entry of entries) {
    const link = (entry.secret as { link: Record<string, unknown> }).link;
    const key = linkCacheKey(providerId, link);
    const hit = ctx.cache.get(key, ttl);
    if (hit) {
      rememberName(ctx, entry.name, key);
      settle(entry.name, linkedOk(entry, providerId, hit.value));
    } else misses.push({ entry, link, key });
  }
  if (misses.length === 0) return;

  let provider: AnyProvider;
  let session: Session;
  try {
    provider = await ctx.getProvider(providerId);
    session = await ensureSession(ctx, providerId, provider, integration as Integration);
  } catch (error) {
    const mapped = toVaultError(error, providerId);
    for (const { entry } of misses) settle(entry.name, failed(entry.name, mapped, providerId));
    return;
  }
  await Promise.all(
    misses.map(async ({ entry, link, key }) => {
      try {
        const fetched = await fetchLink(ctx, providerId, provider, session, link, key, ttl, signal);
        rememberName(ctx, entry.name, key);
        settle(entry.name, linkedOk(entry, providerId, fetched.value));
      } catch (error) {
        settle(entry.name, failed(entry.name, toVaultError(error, providerId), providerId));
      }
    }),
  );
}

/**
 * One link's value (`key` is its linkCacheKey): cache, else a shared in-flight fetch, else a
 * batched provider call. The cache is checked again because another caller may have filled it
 * while this one waited for the provider and session.
 */
async function fetchLink(
  ctx: VaultContext,
  providerId: string,
  provider: AnyProvider,
  session: Session,
  link: Record<string, unknown>,
  key: string,
  ttl: number,
  signal: AbortSignal | undefined,
): Promise<FetchedValue> {
  const hit = ctx.cache.get(key, ttl);
  if (hit) return hit;
  const documentKey = provider.documentKey(link);
  return ctx.flights.run(key, signal, async (flightSignal) => {
    const generation = ctx.cache.generation(key);
    const fetched = await ctx.batcher(providerId, provider).load({ link, session }, documentKey, flightSignal);
    ctx.cache.set(key, fetched.value, ttl, fetched.version, generation);
    return fetched;
  });
}

/** The batcher a Vault keeps per provider: the links asked for within a tick go to the engine together. */
export function createProviderBatcher(ctx: VaultContext, providerId: string, provider: AnyProvider): MicroBatcher<FetchItem, FetchedValue> {
  return new MicroBatcher<FetchItem, FetchedValue>({
    ...(ctx.schedule ? { schedule: ctx.schedule } : {}),
    run: async (items, signal) => {
      const session = items[items.length - 1]!.session;
      const results = await readLinks(
        provider,
        items.map((i) => i.link),
        session,
        { signal, gate: ctx.gate(providerId, provider) },
      );
      return results.map((r): BatchResult<FetchedValue> =>
        r.ok
          ? { ok: true, value: r.version === undefined ? { value: r.value } : { value: r.value, version: r.version } }
          : { ok: false, error: r.error },
      );
    },
  });
}

function linkedOk(entry: SecretEntry, providerId: string, value: string): Outcome {
  return {
    resolution: { name: entry.name, ok: true, value, allowedDomains: entry.allowedDomains, source: 'linked', provider: providerId },
  };
}

function failed(name: string, error: VaultError, providerId: string): Outcome {
  const fixed = error.code === 'REAUTH_REQUIRED' ? withFix(error, reauthFix(providerId)) : error;
  return {
    resolution: {
      name,
      ok: false,
      reason: reasonForCode(fixed.code),
      code: fixed.code,
      message: fixed.message,
      ...(fixed.fix ? { fix: fixed.fix } : {}),
    },
    error: fixed,
  };
}

function unresolved(name: string, reason: UnresolvedReason, message: string, fix: Fix): Outcome {
  const error = new VaultError('UNRESOLVED', message, { fix, details: { name, reason } });
  return { resolution: { name, ok: false, reason, code: 'UNRESOLVED', message: error.message, fix }, error };
}

function rememberName(ctx: VaultContext, name: string, key: string): void {
  const keys = ctx.keysByName.get(name) ?? new Set<string>();
  keys.add(key);
  ctx.keysByName.set(name, keys);
}
