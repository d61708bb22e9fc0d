/**
 * Reading one KV document for a session, and selecting a key from it. Core groups links by
 * document, bounds concurrency and time, and calls these once per document.
 */
import { VaultError, type CallOptions, type Selected } from '@vault/core/provider';
import type { ClientFactory } from './client.js';
import { KvReader, type EngineCache, type KvDocument } from './kv.js';
import type { HashicorpLink } from './link.js';
import { connectionOfSession, type HashicorpSession, type VaultLogin } from './login.js';
import { PROVIDER_ID, REAUTH_FIX } from './options.js';

export interface ReaderDeps {
  clients: ClientFactory;
  engines: EngineCache;
  login: VaultLogin;
}

/** A KvReader for the session; asks lookup-self at most once, and only after a 403. */
export async function readerFor(deps: ReaderDeps, session: HashicorpSession, call: CallOptions): Promise<KvReader> {
  assertUsableSession(session);
  const connection = connectionOfSession(session);
  const calls = await deps.clients.create(connection, session.data.token);
  let tokenCheck: Promise<boolean | undefined> | undefined;
  const tokenValid = () => {
    if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) return Promise.resolve(false);
    return (tokenCheck ??= deps.login.isTokenValid(connection, session.data.token, call));
  };
  return new KvReader(calls, deps.engines, tokenValid);
}

export async function readDocument(
  deps: ReaderDeps,
  link: HashicorpLink,
  session: HashicorpSession,
  call: CallOptions,
): Promise<KvDocument> {
  return (await readerFor(deps, session, call)).read(link, call);
}

/** A logged-out session has `data: null`; that is a reauth, not a crash. */
export function assertUsableSession(session: HashicorpSession): void {
  if (!session?.data?.token || !session.data.vaultAddr) {
    throw new VaultError('REAUTH_REQUIRED', 'There is no Vault token in this session (signed out).', {
      provider: PROVIDER_ID,
      fix: REAUTH_FIX,
    });
  }
}

/** The key's value as a string; KV stores JSON, so non-strings are returned as JSON text. */
export function selectKey(link: HashicorpLink, doc: KvDocument): Selected {
  const version = doc.metadata?.version !== undefined ? { version: String(doc.metadata.version) } : {};
  if (!Object.prototype.hasOwnProperty.call(doc.data, link.key)) {
    const names = Object.keys(doc.data).sort();
    throw new VaultError(
      'KEY_NOT_FOUND',
      `Key "${link.key}" is not in ${doc.mount}/${doc.path}${doc.metadata?.version !== undefined ? ` (version ${doc.metadata.version})` : ''}. ` +
        (names.length ? `Keys there: ${names.join(', ')}.` : 'That secret has no keys.'),
      {
        provider: PROVIDER_ID,
        details: { engine: doc.mount, path: doc.path, key: link.key, availableKeys: names },
        fix: {
          action: 'relink',
          provider: PROVIDER_ID,
          flags: { engine: link.engine, path: link.path, key: names[0] ?? 'KEY' },
          ...(names.length ? { hint: 'one of the keys listed' } : {}),
        },
      },
    );
  }
  const value = doc.data[link.key];
  if (typeof value === 'string') return { value, ...version };
  if (value === null || value === undefined) {
    throw new VaultError('UNSUPPORTED_VALUE', `Key "${link.key}" of ${doc.mount}/${doc.path} holds null, not a value.`, {
      provider: PROVIDER_ID,
      details: { key: link.key },
      fix: 'store a value under that key in Vault, or link another key',
    });
  }
  return { value: JSON.stringify(value), ...version };
}
