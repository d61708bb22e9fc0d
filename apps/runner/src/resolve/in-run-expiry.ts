/**
 * The cache expiry, applied inside a run as the seed describes it for every use of a reference:
 * before each collection request, the LINKED secrets it uses whose cache entry has expired
 * (core's `cacheExpiresAt`; with expiry 0 nothing is cached, so every use) are asked of core
 * again, and core fetches them. An entry younger than the expiry is reused without asking core
 * at all (asking costs a read of the vault file, about 1 ms, on every request otherwise). All
 * the names one request needs go to core in one call, so one request never reads a document
 * twice. The first request to use a name after the run's up-front resolve takes that value: it
 * was fetched or checked moments ago.
 *
 * Which names a request uses: its request and inherited auth as JSON, with the run's other
 * variables substituted the way postman-runtime does (local, data, environment, collection,
 * globals), so `{{token}}` holding `{{vault:NAME}}` counts. A refreshed value replaces the old
 * one in the vault scope and is masked from then on; a refresh that fails removes the value, so
 * the request goes out without it and the send check reports the reference with its reason.
 */
import type { VaultApi } from '@vault/core';
import { loadCollectionSdk } from '../engine/postman-modules.js';
import type { RequestCommandPayload } from '../engine/runtime-hook.js';
import type { RunMessages } from '../messages.js';

const REFERENCE = /\{\{vault:([^{}]+)\}\}/g;

export interface InRunExpiryOptions {
  vault: VaultApi;
  /** Linked secrets resolved for this run. */
  linked: ReadonlySet<string>;
  /** The vault's clock (core's cache expiry times are in it). @default Date.now */
  now?: () => number;
  /** Puts a (new) value into the run's vault scope and masker, or removes it (undefined). */
  update(name: string, value: string | undefined): void;
  /** Records why a name has no value now (for the send check). */
  unresolved(name: string, reason: string): void;
  messages: RunMessages;
  signal?: AbortSignal;
}

export function createInRunExpiry(options: InRunExpiryOptions): (payload: RequestCommandPayload) => Promise<void> {
  const now = options.now ?? (() => Date.now());
  const usedSinceResolve = new Set<string>();
  /** When each name's cache entry expires (ms, vault clock); absent: not cached (expiry 0) or unknown. */
  let expiresAt: Map<string, number> | undefined;
  const readExpiries = async (): Promise<Map<string, number>> => {
    const times = new Map<string, number>();
    for (const info of await options.vault.list()) {
      if (options.linked.has(info.name) && info.cacheExpiresAt) times.set(info.name, Date.parse(info.cacheExpiresAt));
    }
    return times;
  };
  const cached = (name: string): number | undefined => expiresAt?.get(name);
  return async (payload) => {
    if (options.linked.size === 0) return;
    expiresAt ??= await readExpiries();
    // Fast path: every linked value is cached and younger than the expiry.
    if ([...options.linked].every((name) => now() < (cached(name) ?? -Infinity))) return;
    const names = namesUsedBy(payload).filter((name) => options.linked.has(name));
    // Cached: due once expired. Not cached (expiry 0): due on every use after the first.
    const due = names.filter((name) => {
      const expiry = cached(name);
      return expiry === undefined ? usedSinceResolve.has(name) : now() >= expiry;
    });
    for (const name of names) usedSinceResolve.add(name);
    if (due.length === 0) return;
    let resolutions;
    try {
      resolutions = await options.vault.resolveNames(due, { signal: options.signal });
    } catch (error) {
      // resolveNames reports per name; only an abort or a broken vault lands here.
      for (const name of due) {
        options.update(name, undefined);
        options.unresolved(name, error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : 'error');
      }
      return;
    }
    for (const name of due) {
      const resolution = resolutions.get(name);
      if (resolution?.ok) options.update(name, resolution.value);
      else {
        options.update(name, undefined);
        options.unresolved(name, resolution ? `${resolution.reason}: ${resolution.message.split('\n')[0] ?? ''}` : 'error');
      }
    }
    expiresAt = await readExpiries();
  };
}

/** Vault names a collection request will use, after the run's variables are substituted. */
export function namesUsedBy(payload: RequestCommandPayload): string[] {
  const item = payload.item;
  const request = item?.request as { toJSON?(): unknown } | undefined;
  if (!request?.toJSON) return [];
  const auth = item?.getAuth?.() as { toJSON?(): unknown } | undefined;
  const text = JSON.stringify([request.toJSON(), auth?.toJSON?.() ?? null]);
  if (!text.includes('{{')) return [];
  const valuesOf = (scope: unknown) => (scope as { values?: unknown } | undefined)?.values ?? [];
  const definitions = [
    valuesOf(payload._variables),
    payload.data ?? [],
    valuesOf(payload.environment),
    valuesOf(payload.collectionVariables),
    valuesOf(payload.globals),
  ];
  const substituted = loadCollectionSdk().Property.replaceSubstitutions(text, definitions);
  return [...new Set([...substituted.matchAll(REFERENCE)].map((match) => match[1] ?? ''))];
}
