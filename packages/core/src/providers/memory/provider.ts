/**
 * The in-memory reference provider (`memory`), built with `defineProvider` like any other.
 * The conformance suite, core's tests and the demo use it: it needs no cloud account. It
 * counts its calls and can simulate denial, expired sessions, outages and latency (the
 * switches are exported from `@vault/core/testing`). Its data is test/demo data only.
 */
import { randomUUID } from 'node:crypto';
import type {
  AuthContext,
  CallOptions,
  DocumentResult,
  Provider,
  ProviderFields,
  ProviderIO,
  Selected,
  Session,
  TeamSettings,
} from '../../contract.js';
import { VaultError } from '../../errors.js';
import { abortedError, throwIfAborted } from '../../cache/abort.js';
import { defineProvider } from '../../sdk/define.js';
import {
  MEMORY_PROVIDER_FILE_ENV,
  demoDocuments,
  normalizeDocuments,
  readSeedFile,
  type MemoryDocument,
  type MemoryDocumentInput,
  type MemoryValue,
} from './documents.js';
import { MEMORY_LINK_FLAGS, memoryDocumentKey, parseMemoryLink, summarizeMemoryLink, type MemoryLink } from './link.js';

export interface MemoryProviderOptions {
  /** Documents keyed by path. Default: the VAULTLINK_MEMORY_PROVIDER_FILE seed file, else the demo dataset. */
  documents?: Record<string, MemoryDocumentInput>;
  /** Environment to read VAULTLINK_MEMORY_PROVIDER_FILE from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Provider id. @default 'memory' */
  id?: string;
  /** Delay of every upstream call in ms (honours the abort signal). @default 0 */
  latencyMs?: number;
  /** Lifetime of sessions from `authenticate`/`refresh` in seconds; null = never expire. @default null */
  sessionTtlSeconds?: number | null;
  /** Whether `refresh` can renew an expired session. @default true */
  refreshable?: boolean;
  /** Behave like an admin-managed provider (setup/teardown, team organization). @default false */
  adminManaged?: boolean;
  /** Documents per upstream batch read. @default 25 */
  maxBatchSize?: number;
  /** Offer a batch read (`readBatch`). @default true */
  batch?: boolean;
  /** Safe upstream concurrency it declares. @default 16 */
  concurrency?: number;
  /** Clock for session expiry. @default () => Date.now() */
  now?: () => number;
}

export interface MemoryProviderStats {
  /** Upstream read calls: `readDocument` and `readBatch` calls. */
  upstreamCalls: number;
  /** Documents read upstream (a batch call reads several). */
  upstreamReads: number;
  describeCalls: number;
  authenticateCalls: number;
  refreshCalls: number;
  signOutCalls: number;
}

export interface MemorySessionData {
  token: string;
  /** Sessions issued before the last `revokeSessions()` are rejected. */
  generation: number;
}

export type MemoryFault = 'unavailable' | 'throttled' | 'timeout' | 'frozen';

/** One version of one document, as read. */
export interface MemoryRead {
  path: string;
  value: MemoryValue;
  version: string;
}

export interface MemoryProvider extends Provider<MemoryLink, MemorySessionData, MemoryRead> {
  readonly stats: MemoryProviderStats;
  resetStats(): void;
  setDocument(path: string, document: MemoryDocumentInput): void;
  deleteDocument(path: string): void;
  /**
   * Every upstream read fails with this fault until cleared with `undefined`. `frozen` never
   * answers, ignoring its signal, and also freezes signOut, setup and teardown.
   */
  setFault(fault: MemoryFault | undefined, options?: { retryAfterSeconds?: number }): void;
  /** Existing sessions are rejected upstream from now on (REAUTH_REQUIRED); refresh fails too. */
  revokeSessions(): void;
  /** A valid session without the authenticate ceremony (tests). */
  createSession(principal?: string, options?: { expiresAt?: string | null; organization?: string }): Session<MemorySessionData>;
}

const DEFAULT_PRINCIPAL = 'demo-user';
const DEFAULT_ORGANIZATION = 'memory-demo';

export function createMemoryProvider(options: MemoryProviderOptions = {}): MemoryProvider {
  const id = options.id ?? 'memory';
  const now = options.now ?? (() => Date.now());
  const documents = loadDocuments(options);
  const stats = emptyStats();
  let fault: { kind: MemoryFault; retryAfterSeconds: number } | undefined;
  let generation = 1;
  const reauth = { action: 'reauth', provider: id } as const;

  const issueSession = (principal: string, organization: string, expiresAt?: string | null): Session<MemorySessionData> => ({
    provider: id,
    organization,
    principal,
    expiresAt:
      expiresAt !== undefined
        ? expiresAt
        : options.sessionTtlSeconds
          ? new Date(now() + options.sessionTtlSeconds * 1000).toISOString()
          : null,
    createdAt: new Date(now()).toISOString(),
    data: { token: `mem-${randomUUID()}`, generation },
  });

  const checkSession = (session: Session<MemorySessionData>): void => {
    const revoked = !session?.data || session.data.generation < generation;
    const expired = session?.expiresAt ? Date.parse(session.expiresAt) <= now() : false;
    if (revoked || expired || session.provider !== id) {
      throw new VaultError('REAUTH_REQUIRED', `The ${id} session ${expired ? 'has expired' : 'is no longer valid'}.`, {
        provider: id,
        fix: reauth,
      });
    }
  };

  /** One upstream round trip: latency, then the fault if one is set. */
  const upstream = async (call: CallOptions, session: Session<MemorySessionData>): Promise<void> => {
    throwIfAborted(call.signal);
    stats.upstreamCalls++;
    if (fault?.kind === 'frozen') return new Promise<never>(() => undefined);
    if (options.latencyMs) await sleep(options.latencyMs, call.signal);
    throwIfAborted(call.signal);
    checkSession(session);
    if (fault) throw faultError(id, fault.kind, fault.retryAfterSeconds);
  };

  /** Calls that change no document (sign-out, setup, teardown) answer unless the vault is frozen. */
  const answerUnlessFrozen = async (signal: AbortSignal | undefined): Promise<void> => {
    throwIfAborted(signal);
    if (fault?.kind === 'frozen') return new Promise<never>(() => undefined);
  };

  const read = (link: MemoryLink, principal: string): MemoryRead => {
    stats.upstreamReads++;
    const { path, version } = link;
    const doc = documents.get(path);
    // Denial is decided before existence, so a denied caller cannot probe which paths exist.
    if (
      doc?.deniedPrincipals?.includes(principal) ||
      doc?.deniedPrincipals?.includes('*') ||
      deniedEverywhere(documents, path, principal)
    ) {
      throw new VaultError('ACCESS_DENIED', `Principal "${principal}" may not read ${path}.`, {
        provider: id,
        fix: `ask an admin to grant "${principal}" read access to ${path}, or sign in to ${id} again as another principal`,
      });
    }
    if (!doc)
      throw new VaultError('NOT_FOUND', `No document at ${path}.`, {
        provider: id,
        fix: { action: 'relink', provider: id, flags: { path: 'PATH' } },
      });
    const index = version === undefined ? doc.versions.length : Number(version);
    const value = doc.versions[index - 1];
    if (value === undefined) {
      throw new VaultError('NOT_FOUND', `${path} has no version ${version} (latest is ${doc.versions.length}).`, {
        provider: id,
        fix: { action: 'relink', provider: id, flags: { path, version: 'N' }, hint: 'an existing version, or none for the latest' },
      });
    }
    return { path, value, version: String(index) };
  };

  const batch = options.batch ?? true;
  const provider = defineProvider({
    id,
    displayName: 'In-memory vault (demo and tests)',
    capabilities: {
      versions: true,
      adminManagedSetup: options.adminManaged ?? false,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(batch ? { maxBatchSize: options.maxBatchSize ?? 25 } : {}),
    },
    flags: {
      link: MEMORY_LINK_FLAGS,
      connect: [
        { name: 'principal', description: `Who to sign in as (default ${DEFAULT_PRINCIPAL})`, type: 'string', placeholder: 'NAME' },
        { name: 'organization', description: `Organization (default ${DEFAULT_ORGANIZATION})`, type: 'string', placeholder: 'ORG' },
      ],
      ...(options.adminManaged
        ? { setup: [{ name: 'organization', description: 'Team organization', type: 'string' as const, placeholder: 'ORG' }] }
        : {}),
    },

    parseLink: parseMemoryLink,
    documentKey: memoryDocumentKey,
    summarize: summarizeMemoryLink,

    async authenticate(fields: ProviderFields, io: ProviderIO, context: AuthContext) {
      stats.authenticateCalls++;
      throwIfAborted(context.signal);
      const principal = stringField(fields, 'principal') ?? context.previous?.principal ?? DEFAULT_PRINCIPAL;
      let organization = stringField(fields, 'organization') ?? DEFAULT_ORGANIZATION;
      if (options.adminManaged) {
        const teamOrg = context.team?.['organization'];
        if (typeof teamOrg !== 'string') {
          throw new VaultError('NOT_CONNECTED', `The ${id} integration has not been set up for this workspace.`, {
            provider: id,
            fix: { action: 'setup', provider: id },
          });
        }
        organization = teamOrg;
      }
      io.progress(`Signing in to the in-memory vault as ${principal}`);
      return issueSession(principal, organization);
    },

    async refresh(session: Session<MemorySessionData>) {
      stats.refreshCalls++;
      if (options.refreshable === false || !session.data || session.data.generation < generation) {
        throw new VaultError('REAUTH_REQUIRED', `The ${id} session cannot be renewed without you.`, { provider: id, fix: reauth });
      }
      return { ...issueSession(session.principal, session.organization), data: session.data };
    },

    async signOut(_session: Session<MemorySessionData>, call: CallOptions) {
      stats.signOutCalls++;
      await answerUnlessFrozen(call.signal);
    },

    async readDocument(link: MemoryLink, session: Session<MemorySessionData>, call: CallOptions): Promise<MemoryRead> {
      await upstream(call, session);
      return read(link, session.principal);
    },

    ...(batch
      ? {
          async readBatch(
            links: readonly MemoryLink[],
            session: Session<MemorySessionData>,
            call: CallOptions,
          ): Promise<DocumentResult<MemoryRead>[]> {
            await upstream(call, session);
            return links.map((link) => {
              try {
                return { ok: true, document: read(link, session.principal) };
              } catch (error) {
                if (!(error instanceof VaultError)) throw error;
                return { ok: false, error };
              }
            });
          },
        }
      : {}),

    select: (link: MemoryLink, document: MemoryRead) => pick(id, link, document),

    async describe(link: MemoryLink, session: Session<MemorySessionData>, call: CallOptions) {
      stats.describeCalls++;
      await upstream(call, session);
      const doc = read(link, session.principal);
      const latest = documents.get(link.path)!.versions.length;
      return {
        path: link.path,
        version: doc.version,
        latestVersion: String(latest),
        ...(typeof doc.value === 'object' ? { keys: Object.keys(doc.value).sort() } : {}),
      };
    },

    ...(options.adminManaged
      ? {
          async setup(fields: ProviderFields, _io: ProviderIO, context: AuthContext): Promise<TeamSettings> {
            await answerUnlessFrozen(context.signal);
            return { organization: stringField(fields, 'organization') ?? 'memory-team' };
          },
          async teardown(_team: TeamSettings, fields: ProviderFields, io: ProviderIO, call: CallOptions): Promise<void> {
            await answerUnlessFrozen(call.signal);
            if (fields['admin'] !== true && io.env['VAULTLINK_MEMORY_ADMIN'] !== '1') {
              throw new VaultError('ADMIN_REQUIRED', `Removing the team ${id} integration needs admin rights.`, {
                provider: id,
                fix: `ask an admin to disconnect ${id}, or log out of ${id} to drop only your session`,
              });
            }
          },
        }
      : {}),
  });

  return Object.assign(provider, {
    stats,
    resetStats: () => void Object.assign(stats, emptyStats()),
    setDocument: (path: string, document: MemoryDocumentInput) => {
      const [entry] = normalizeDocuments({ [path]: document }, 'setDocument').values();
      documents.set(path, entry!);
    },
    deleteDocument: (path: string) => void documents.delete(path),
    setFault: (next: MemoryFault | undefined, faultOptions: { retryAfterSeconds?: number } = {}) => {
      fault = next === undefined ? undefined : { kind: next, retryAfterSeconds: faultOptions.retryAfterSeconds ?? 1 };
    },
    revokeSessions: () => {
      generation++;
    },
    createSession: (principal = DEFAULT_PRINCIPAL, sessionOptions: { expiresAt?: string | null; organization?: string } = {}) =>
      issueSession(principal, sessionOptions.organization ?? DEFAULT_ORGANIZATION, sessionOptions.expiresAt),
  });
}

function loadDocuments(options: MemoryProviderOptions): Map<string, MemoryDocument> {
  if (options.documents) return normalizeDocuments(options.documents, 'options.documents');
  const seedFile = (options.env ?? process.env)[MEMORY_PROVIDER_FILE_ENV];
  if (seedFile) return normalizeDocuments(readSeedFile(seedFile), seedFile);
  return normalizeDocuments(demoDocuments(), 'the demo dataset');
}

/** Policies may deny a whole subtree: a document `a/b` with deniedPrincipals denies `a/b/...` too. */
function deniedEverywhere(documents: Map<string, MemoryDocument>, path: string, principal: string): boolean {
  for (const [prefix, doc] of documents) {
    if (path.startsWith(`${prefix}/`) && (doc.deniedPrincipals?.includes(principal) || doc.deniedPrincipals?.includes('*'))) return true;
  }
  return false;
}

function pick(id: string, link: MemoryLink, read: MemoryRead): Selected {
  const { value, version } = read;
  if (link.key === undefined) return { value: typeof value === 'string' ? value : JSON.stringify(value), version };
  let object: unknown = value;
  if (typeof value === 'string') {
    try {
      object = JSON.parse(value);
    } catch {
      object = undefined; // a plain-text document has no keys; reported below
    }
  }
  const field =
    typeof object === 'object' && object !== null && !Array.isArray(object) ? (object as Record<string, unknown>)[link.key] : undefined;
  if (field === undefined) {
    throw new VaultError('KEY_NOT_FOUND', `${link.path} (version ${version}) has no key "${link.key}".`, {
      provider: id,
      fix: {
        action: 'relink',
        provider: id,
        flags: { path: link.path, key: 'KEY' },
        hint: "an existing key (see the document's keys with show), or no key for the whole document",
      },
    });
  }
  return { value: typeof field === 'string' ? field : JSON.stringify(field), version };
}

function faultError(id: string, fault: MemoryFault, retryAfterSeconds: number): VaultError {
  if (fault === 'throttled')
    return new VaultError('THROTTLED', `The ${id} vault is throttling requests.`, {
      provider: id,
      retryAfterSeconds,
      fix: { action: 'retry', afterSeconds: retryAfterSeconds },
    });
  if (fault === 'timeout')
    return new VaultError('TIMEOUT', `The ${id} vault did not answer in time.`, {
      provider: id,
      fix: { action: 'retry', hint: 'check the network' },
    });
  return new VaultError('PROVIDER_UNAVAILABLE', `The ${id} vault is unavailable.`, { provider: id, fix: { action: 'retry' } });
}

function stringField(fields: ProviderFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function emptyStats(): MemoryProviderStats {
  return { upstreamCalls: 0, upstreamReads: 0, describeCalls: 0, authenticateCalls: 0, refreshCalls: 0, signOutCalls: 0 };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal.reason));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
