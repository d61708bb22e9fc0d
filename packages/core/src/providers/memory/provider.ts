/**
 * The in-memory reference provider (`memory`). It implements contract v1 with a map of
 * documents, so the conformance suite, core's tests and the demo have a provider that
 * needs no cloud account. It counts its calls and can simulate denial, expired sessions,
 * outages and latency. Its data is test/demo data only.
 */
import { randomUUID } from 'node:crypto';
import {
  PROVIDER_CONTRACT_VERSION,
  type AuthContext,
  type FetchOptions,
  type FetchResult,
  type Provider,
  type ProviderFields,
  type ProviderIO,
  type Session,
  type TeamSettings,
} from '../../contract.js';
import { VaultError } from '../../errors.js';
import { abortedError, throwIfAborted } from '../../cache/abort.js';
import {
  MEMORY_PROVIDER_FILE_ENV,
  demoDocuments,
  normalizeDocuments,
  readSeedFile,
  type MemoryDocument,
  type MemoryDocumentInput,
  type MemoryValue,
} from './documents.js';
import { memoryDocumentKey, parseMemoryLink, summarizeMemoryLink, type MemoryLink } from './link.js';

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
  /** Advertise and use batch reads. @default true */
  batch?: boolean;
  /** Clock for session expiry. @default () => Date.now() */
  now?: () => number;
}

export interface MemoryProviderStats {
  /** Calls of `fetch`. */
  fetchCalls: number;
  /** Links passed to `fetch`, summed over calls. */
  fetchedLinks: number;
  /** Upstream document reads (one per distinct document per fetch call). */
  upstreamReads: number;
  /** Upstream calls: one per batch of up to maxBatchSize documents (one per document without batch). */
  upstreamCalls: number;
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

export type MemoryFault = 'unavailable' | 'throttled' | 'timeout';

export interface MemoryProvider extends Provider<MemoryLink, MemorySessionData> {
  readonly stats: MemoryProviderStats;
  resetStats(): void;
  setDocument(path: string, document: MemoryDocumentInput): void;
  deleteDocument(path: string): void;
  /** Every upstream call fails with this fault until cleared with `undefined`. */
  setFault(fault: MemoryFault | undefined): void;
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
  let fault: MemoryFault | undefined;
  let generation = 1;
  const reauthFix = `vaultlink reauth ${id}`;

  const issueSession = (principal: string, organization: string, expiresAt?: string | null): Session<MemorySessionData> => ({
    provider: id,
    organization,
    principal,
    expiresAt: expiresAt !== undefined ? expiresAt : options.sessionTtlSeconds ? new Date(now() + options.sessionTtlSeconds * 1000).toISOString() : null,
    createdAt: new Date(now()).toISOString(),
    data: { token: `mem-${randomUUID()}`, generation },
  });

  const checkSession = (session: Session<MemorySessionData>): void => {
    const revoked = !session?.data || session.data.generation < generation;
    const expired = session?.expiresAt ? Date.parse(session.expiresAt) <= now() : false;
    if (revoked || expired || session.provider !== id) {
      throw new VaultError('REAUTH_REQUIRED', `The ${id} session ${expired ? 'has expired' : 'is no longer valid'}.`, { provider: id, fix: reauthFix });
    }
  };

  const upstream = async (signal: AbortSignal | undefined): Promise<void> => {
    stats.upstreamCalls++;
    if (options.latencyMs) await sleep(options.latencyMs, signal);
    throwIfAborted(signal);
    if (fault) throw faultError(id, fault);
  };

  const readDocument = (path: string, version: string | undefined, principal: string): { value: MemoryValue; version: string } => {
    stats.upstreamReads++;
    const doc = documents.get(path);
    // Denial is decided before existence, so a denied caller cannot probe which paths exist.
    if (doc?.deniedPrincipals?.includes(principal) || doc?.deniedPrincipals?.includes('*') || deniedEverywhere(documents, path, principal)) {
      throw new VaultError('ACCESS_DENIED', `Principal "${principal}" may not read ${path}.`, {
        provider: id,
        fix: `ask an admin to grant "${principal}" read access to ${path}, or \`vaultlink reauth ${id}\` as another principal`,
      });
    }
    if (!doc) throw new VaultError('NOT_FOUND', `No document at ${path}.`, { provider: id, fix: 'check the path, then relink with `vaultlink link NAME --provider memory --path PATH`' });
    const index = version === undefined ? doc.versions.length : Number(version);
    const value = doc.versions[index - 1];
    if (value === undefined) {
      throw new VaultError('NOT_FOUND', `${path} has no version ${version} (latest is ${doc.versions.length}).`, {
        provider: id,
        fix: 'relink with an existing --version, or without one for the latest',
      });
    }
    return { value, version: String(index) };
  };

  const provider: MemoryProvider = {
    contractVersion: PROVIDER_CONTRACT_VERSION,
    id,
    displayName: 'In-memory vault (demo and tests)',
    capabilities: {
      versions: true,
      batch: options.batch ?? true,
      adminManagedSetup: options.adminManaged ?? false,
      ...((options.batch ?? true) ? { maxBatchSize: options.maxBatchSize ?? 25 } : {}),
    },
    flags: {
      link: [
        { name: 'path', description: 'Document path, e.g. demo/payments', type: 'string', placeholder: 'PATH' },
        { name: 'key', description: 'JSON key inside the document, e.g. api_key', type: 'string', placeholder: 'KEY' },
        { name: 'version', description: 'Pinned version number (default: latest)', type: 'string', placeholder: 'N' },
      ],
      connect: [
        { name: 'principal', description: `Who to sign in as (default ${DEFAULT_PRINCIPAL})`, type: 'string', placeholder: 'NAME' },
        { name: 'organization', description: `Organization (default ${DEFAULT_ORGANIZATION})`, type: 'string', placeholder: 'ORG' },
      ],
      ...(options.adminManaged ? { setup: [{ name: 'organization', description: 'Team organization', type: 'string' as const, placeholder: 'ORG' }] } : {}),
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
          throw new VaultError('NOT_CONNECTED', `The ${id} integration has not been set up for this workspace.`, { provider: id, fix: `ask an admin to run \`vaultlink setup ${id}\`` });
        }
        organization = teamOrg;
      }
      io.progress(`Signing in to the in-memory vault as ${principal}`);
      return issueSession(principal, organization);
    },

    async refresh(session: Session<MemorySessionData>) {
      stats.refreshCalls++;
      if (options.refreshable === false || !session.data || session.data.generation < generation) {
        throw new VaultError('REAUTH_REQUIRED', `The ${id} session cannot be renewed without you.`, { provider: id, fix: reauthFix });
      }
      return { ...issueSession(session.principal, session.organization), data: session.data };
    },

    async signOut() {
      stats.signOutCalls++;
    },

    async fetch(links: readonly MemoryLink[], session: Session<MemorySessionData>, fetchOptions: FetchOptions): Promise<FetchResult[]> {
      stats.fetchCalls++;
      stats.fetchedLinks += links.length;
      throwIfAborted(fetchOptions?.signal);
      checkSession(session);
      // One read per document (path + version); the links into it pick their keys from it.
      const keys = links.map(memoryDocumentKey);
      const documentLinks = new Map<string, MemoryLink>();
      links.forEach((link, i) => {
        if (!documentLinks.has(keys[i]!)) documentLinks.set(keys[i]!, link);
      });
      const batchSize = provider.capabilities.batch ? (provider.capabilities.maxBatchSize ?? 25) : 1;
      const docs = [...documentLinks];
      const reads = new Map<string, { value: MemoryValue; version: string } | VaultError>();
      for (let i = 0; i < docs.length; i += batchSize) {
        await upstream(fetchOptions?.signal);
        for (const [key, link] of docs.slice(i, i + batchSize)) {
          try {
            reads.set(key, readDocument(link.path, link.version, session.principal));
          } catch (error) {
            if (!(error instanceof VaultError)) throw error;
            reads.set(key, error);
          }
        }
      }
      return links.map((link, i) => {
        const read = reads.get(keys[i]!)!;
        if (read instanceof VaultError) return { ok: false, error: read };
        return pick(id, link, read.value, read.version);
      });
    },

    async describe(link: MemoryLink, session: Session<MemorySessionData>, describeOptions: FetchOptions) {
      stats.describeCalls++;
      throwIfAborted(describeOptions?.signal);
      checkSession(session);
      await upstream(describeOptions?.signal);
      const read = readDocument(link.path, link.version, session.principal);
      const doc = documents.get(link.path)!;
      return {
        path: link.path,
        version: read.version,
        latestVersion: String(doc.versions.length),
        ...(typeof read.value === 'object' ? { keys: Object.keys(read.value).sort() } : {}),
      };
    },

    ...(options.adminManaged
      ? {
          async setup(fields: ProviderFields): Promise<TeamSettings> {
            return { organization: stringField(fields, 'organization') ?? 'memory-team' };
          },
          async teardown(_team: TeamSettings, fields: ProviderFields, io: ProviderIO): Promise<void> {
            if (fields['admin'] !== true && io.env['VAULTLINK_MEMORY_ADMIN'] !== '1') {
              throw new VaultError('ADMIN_REQUIRED', `Removing the team ${id} integration needs admin rights.`, {
                provider: id,
                fix: `ask an admin to run \`vaultlink disconnect ${id}\`, or use \`vaultlink logout ${id}\` to drop only your session`,
              });
            }
          },
        }
      : {}),

    stats,
    resetStats: () => Object.assign(stats, emptyStats()),
    setDocument: (path, document) => {
      const [entry] = normalizeDocuments({ [path]: document }, 'setDocument').values();
      documents.set(path, entry!);
    },
    deleteDocument: (path) => void documents.delete(path),
    setFault: (next) => {
      fault = next;
    },
    revokeSessions: () => {
      generation++;
    },
    createSession: (principal = DEFAULT_PRINCIPAL, sessionOptions = {}) =>
      issueSession(principal, sessionOptions.organization ?? DEFAULT_ORGANIZATION, sessionOptions.expiresAt),
  };
  return provider;
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

function pick(id: string, link: MemoryLink, value: MemoryValue, version: string): FetchResult {
  if (link.key === undefined) {
    return { ok: true, value: typeof value === 'string' ? value : JSON.stringify(value), version };
  }
  let object: unknown = value;
  if (typeof value === 'string') {
    try {
      object = JSON.parse(value);
    } catch {
      object = undefined; // a plain-text document has no keys; reported below
    }
  }
  const field = typeof object === 'object' && object !== null && !Array.isArray(object) ? (object as Record<string, unknown>)[link.key] : undefined;
  if (field === undefined) {
    return {
      ok: false,
      error: new VaultError('KEY_NOT_FOUND', `${link.path} (version ${version}) has no key "${link.key}".`, {
        provider: id,
        fix: 'relink with an existing --key (see `vaultlink describe NAME`), or without --key for the whole document',
      }),
    };
  }
  return { ok: true, value: typeof field === 'string' ? field : JSON.stringify(field), version };
}

function faultError(id: string, fault: MemoryFault): VaultError {
  if (fault === 'throttled') return new VaultError('THROTTLED', `The ${id} vault is throttling requests.`, { provider: id, retryAfterSeconds: 1, fix: 'wait a moment and retry' });
  if (fault === 'timeout') return new VaultError('TIMEOUT', `The ${id} vault did not answer in time.`, { provider: id, fix: 'retry; check the network' });
  return new VaultError('PROVIDER_UNAVAILABLE', `The ${id} vault is unavailable.`, { provider: id, fix: 'retry later' });
}

function stringField(fields: ProviderFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function emptyStats(): MemoryProviderStats {
  return { fetchCalls: 0, fetchedLinks: 0, upstreamReads: 0, upstreamCalls: 0, describeCalls: 0, authenticateCalls: 0, refreshCalls: 0, signOutCalls: 0 };
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
