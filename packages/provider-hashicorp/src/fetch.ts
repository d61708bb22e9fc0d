/**
 * Batch reads: links are grouped by document key (mount + path + version), each document is
 * read once, and every link takes its key from it. Documents are read a few at a time.
 */
import { VaultError, isVaultError, type FetchOptions, type FetchResult } from '@vault/core';
import type { ClientFactory } from './client.js';
import { throwIfAborted, toVaultError } from './errors.js';
import { KvReader, type EngineCache, type KvDocument } from './kv.js';
import { documentKey, identifier, type HashicorpLink } from './link.js';
import { connectionOfSession, type HashicorpSession, type VaultLogin } from './login.js';
import { PROVIDER_ID, REAUTH_FIX } from './options.js';

const CONCURRENT_READS = 8;

export interface ReaderDeps {
  clients: ClientFactory;
  engines: EngineCache;
  login: VaultLogin;
}

/** A KvReader for the session; asks lookup-self at most once, and only after a 403. */
export async function readerFor(deps: ReaderDeps, session: HashicorpSession, options: FetchOptions): Promise<KvReader> {
  assertUsableSession(session);
  const connection = connectionOfSession(session);
  const calls = await deps.clients.create(connection, session.data.token);
  let tokenCheck: Promise<boolean | undefined> | undefined;
  const tokenValid = () => {
    if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) return Promise.resolve(false);
    return (tokenCheck ??= deps.login.isTokenValid(connection, session.data.token, callOptions(options)));
  };
  return new KvReader(calls, deps.engines, tokenValid);
}

export function callOptions(options: FetchOptions) {
  return { signal: options.signal, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) };
}

/** A logged-out session has `data: null`; that is a reauth, not a crash. */
export function assertUsableSession(session: HashicorpSession): void {
  if (!session?.data?.token || !session.data.vaultAddr) {
    throw new VaultError('REAUTH_REQUIRED', 'There is no Vault token in this session (signed out).', { provider: PROVIDER_ID, fix: REAUTH_FIX });
  }
}

export async function fetchLinks(deps: ReaderDeps, links: readonly HashicorpLink[], session: HashicorpSession, options: FetchOptions): Promise<FetchResult[]> {
  throwIfAborted(options.signal, 'read secrets from Vault');
  const reader = await readerFor(deps, session, options);
  const byKey = new Map<string, HashicorpLink>();
  for (const link of links) {
    const key = documentKey(link);
    if (!byKey.has(key)) byKey.set(key, link);
  }

  const documents = new Map<string, { ok: true; doc: KvDocument } | { ok: false; error: VaultError }>();
  const queue = [...byKey.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, link] = next;
      try {
        documents.set(key, { ok: true, doc: await reader.read(link, callOptions(options)) });
      } catch (error) {
        documents.set(key, { ok: false, error: toVaultError(error, { action: `read ${identifier(link)}`, signal: options.signal }) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, queue.length) }, worker));
  // A cancelled batch is cancelled as a whole, not a list of per-link failures.
  throwIfAborted(options.signal, 'read secrets from Vault');

  return links.map((link) => {
    const result = documents.get(documentKey(link))!;
    if (!result.ok) return { ok: false, error: result.error };
    try {
      return { ok: true, value: pickKey(result.doc, link), ...(result.doc.metadata?.version !== undefined ? { version: String(result.doc.metadata.version) } : {}) };
    } catch (error) {
      if (isVaultError(error)) return { ok: false, error };
      throw error;
    }
  });
}

/** The key's value as a string; KV stores JSON, so non-strings are returned as JSON text. */
export function pickKey(doc: KvDocument, link: HashicorpLink): string {
  if (!Object.prototype.hasOwnProperty.call(doc.data, link.key)) {
    const names = Object.keys(doc.data).sort();
    throw new VaultError(
      'KEY_NOT_FOUND',
      `Key "${link.key}" is not in ${doc.mount}/${doc.path}${doc.metadata?.version !== undefined ? ` (version ${doc.metadata.version})` : ''}. ` +
        (names.length ? `Keys there: ${names.join(', ')}.` : 'That secret has no keys.'),
      {
        provider: PROVIDER_ID,
        details: { engine: doc.mount, path: doc.path, key: link.key, availableKeys: names },
        fix: names.length ? `relink with one of those keys (--key ${names[0]})` : 'check --path',
      },
    );
  }
  const value = doc.data[link.key];
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) {
    throw new VaultError('UNSUPPORTED_VALUE', `Key "${link.key}" of ${doc.mount}/${doc.path} holds null, not a value.`, {
      provider: PROVIDER_ID,
      details: { key: link.key },
      fix: 'store a value under that key in Vault, or relink with another --key',
    });
  }
  return JSON.stringify(value);
}
