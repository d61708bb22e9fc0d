/**
 * Reads KV v1 and v2 documents. The engine version comes from the link's `--kv-version`
 * hint, else from `sys/internal/ui/mounts/<mount>` (Vault answers it to any token with a
 * capability inside the mount, even under a policy that denies `sys/*`), else from probing
 * the KV paths themselves: a v2 mount answers a v1-style read with a 404 and the warning
 * "Invalid path for a versioned K/V secrets engine". Results are cached per mount.
 */
import { VaultError } from '@vault/core/provider';
import { vaultPath, type CallOptions, type VaultCalls } from './client.js';
import { describeFailure, targetOf, toVaultError, type ErrorContext } from './errors.js';
import type { HashicorpLink } from './link.js';
import { PROVIDER_ID } from './options.js';

export interface KvMetadata {
  createdTime?: string;
  version?: number;
  deletionTime?: string;
  destroyed?: boolean;
  customMetadata?: Record<string, unknown> | null;
}

/** One KV secret as read: all its keys (values stay in memory only) and v2 metadata. */
export interface KvDocument {
  /** The engine's real mount path, without slashes. */
  mount: string;
  /** The secret's path inside the mount. */
  path: string;
  kvVersion: 1 | 2;
  data: Record<string, unknown>;
  metadata?: KvMetadata;
}

export interface EngineInfo {
  mount: string;
  kvVersion: 1 | 2;
}

/** Detected engines, shared by all reads of one provider instance: `addr|namespace|engine` → info. */
export type EngineCache = Map<string, Promise<EngineInfo | undefined>>;

const V2_WARNING = /versioned K\/V secrets engine/i;

export class KvReader {
  constructor(
    private readonly calls: VaultCalls,
    private readonly engines: EngineCache,
    /** Whether the session's token is still valid; asked only after a 403. */
    private readonly tokenValid: () => Promise<boolean | undefined>,
  ) {}

  private context(path: string, extra: Partial<ErrorContext> = {}): ErrorContext {
    return {
      action: `read ${path}`,
      path,
      capability: 'read',
      ...targetOf(this.calls.connection),
      ...extra,
    };
  }

  /** Maps a failure, asking about the token first when Vault said 403. */
  private async fail(error: unknown, ctx: ErrorContext): Promise<VaultError> {
    if (describeFailure(error).status === 403) return toVaultError(error, { ...ctx, tokenValid: await this.tokenValid() });
    return toVaultError(error, ctx);
  }

  async read(link: HashicorpLink, options: CallOptions): Promise<KvDocument> {
    const info = link.kvVersion ? { mount: link.engine, kvVersion: link.kvVersion } : await this.engine(link.engine, options);
    if (!info) return this.probe(link, options);
    const full = `${link.engine}/${link.path}`;
    // The user may give `secret/team` as the engine when the mount is `secret`.
    const path = full.startsWith(`${info.mount}/`) ? full.slice(info.mount.length + 1) : link.path;
    return info.kvVersion === 2 ? this.readV2(info.mount, path, link.version, options) : this.readV1(info.mount, path, options);
  }

  /** Engine info from the cache or `sys/internal/ui/mounts`; undefined when that is not answered. */
  engine(engine: string, options: CallOptions): Promise<EngineInfo | undefined> {
    const key = this.engineKey(engine);
    let pending = this.engines.get(key);
    if (!pending) {
      pending = this.detectByMounts(engine, options);
      this.engines.set(key, pending);
      // A failed detection (network, abort) must not stick.
      pending.catch(() => this.engines.delete(key));
    }
    return pending;
  }

  private engineKey(engine: string): string {
    return `${this.calls.connection.vaultAddr}|${this.calls.connection.namespace ?? ''}|${engine}`;
  }

  /** Records what probing found: the link's engine is the mount itself. */
  private remember(engine: string, kvVersion: 1 | 2): void {
    this.engines.set(this.engineKey(engine), Promise.resolve({ mount: engine, kvVersion }));
  }

  private async detectByMounts(engine: string, options: CallOptions): Promise<EngineInfo | undefined> {
    const path = `sys/internal/ui/mounts/${vaultPath(engine)}`;
    let body: { data?: { type?: string; path?: string; options?: { version?: string } | null } };
    try {
      body = await this.calls.read(path, options);
    } catch (error) {
      const status = describeFailure(error).status;
      // Denied, missing or unsupported (older Vaults, proxies that block sys/): probe the KV paths instead.
      if (status === 400 || status === 403 || status === 404 || status === 405) return undefined;
      throw toVaultError(error, this.context(path, { action: `detect the engine type of ${engine}` }));
    }
    const type = body?.data?.type;
    const mount = (body?.data?.path ?? '').replace(/^\/+|\/+$/g, '') || engine;
    if (type === 'kv' || type === 'generic') return { mount, kvVersion: body.data?.options?.version === '2' ? 2 : 1 };
    if (type === undefined) return undefined;
    throw unsupportedEngine(engine, type);
  }

  /** Detection without sys/: read the v1 path and let Vault's answer tell the engine version. */
  private async probe(link: HashicorpLink, options: CallOptions): Promise<KvDocument> {
    // Only KV v2 keeps versions, so a pinned link settles it.
    if (link.version !== undefined) return this.readV2(link.engine, link.path, link.version, options);
    const v1Path = `${vaultPath(link.engine)}/${vaultPath(link.path)}`;
    try {
      const body = await this.calls.read(v1Path, options);
      this.remember(link.engine, 1);
      return { mount: link.engine, path: link.path, kvVersion: 1, data: asRecord(body?.data) };
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.status === 404) {
        if (failure.warnings.some((w) => V2_WARNING.test(w))) {
          this.remember(link.engine, 2);
          return this.readV2(link.engine, link.path, undefined, options);
        }
        if (failure.errors.some((e) => /unsupported path/i.test(e))) throw unsupportedEngine(link.engine);
        if (failure.errors.some((e) => /no handler for route/i.test(e))) throw noSuchEngine(link.engine, this.calls.connection.namespace);
        this.remember(link.engine, 1);
        throw missingSecret(link.engine, link.path, 1);
      }
      if (failure.status !== 403) throw await this.fail(error, this.context(v1Path));
      return this.probeV2AfterDenial(link, v1Path, error, options);
    }
  }

  /** v1 read denied: a v2 policy grants `<mount>/data/<path>` only, so try that before giving up. */
  private async probeV2AfterDenial(link: HashicorpLink, v1Path: string, v1Error: unknown, options: CallOptions): Promise<KvDocument> {
    const v2Path = `${vaultPath(link.engine)}/data/${vaultPath(link.path)}`;
    try {
      const body = await this.calls.read(v2Path, options);
      this.remember(link.engine, 2);
      return v2Document(link.engine, link.path, body);
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.status === 404 && deletionOf(failure.body)) {
        this.remember(link.engine, 2);
        throw deletedVersion(link.engine, link.path, undefined, deletionOf(failure.body)!);
      }
      if (failure.status === 403 || failure.status === 404) {
        // Never report a denial as "not found": the v1 path was denied, and a 404 on the v2 path
        // only means "missing" if the engine is v2, which we could not establish.
        throw await this.fail(
          v1Error,
          this.context(v1Path, {
            path: `${v1Path} (KV v1) and ${v2Path} (KV v2)`,
            deniedFix:
              `ask your Vault admin for "read" on ${v2Path} (KV v2) or ${v1Path} (KV v1); if ${link.engine} is KV v2, ` +
              `check the path and relink with --kv-version 2 so vaultlink need not probe`,
          }),
        );
      }
      throw await this.fail(error, this.context(v2Path));
    }
  }

  async readV2(mount: string, path: string, version: number | undefined, options: CallOptions): Promise<KvDocument> {
    const apiPath = `${vaultPath(mount)}/data/${vaultPath(path)}`;
    try {
      const body = await this.calls.read(version !== undefined ? `${apiPath}?version=${version}` : apiPath, options);
      return v2Document(mount, path, body);
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.status === 404) {
        const deletion = deletionOf(failure.body);
        if (deletion) throw deletedVersion(mount, path, version, deletion);
        if (failure.errors.some((e) => /no handler for route/i.test(e))) throw noSuchEngine(mount, this.calls.connection.namespace);
        if (failure.errors.some((e) => /unsupported path/i.test(e))) throw unsupportedEngine(mount);
        throw missingSecret(mount, path, 2, version);
      }
      throw await this.fail(error, this.context(apiPath));
    }
  }

  async readV1(mount: string, path: string, options: CallOptions): Promise<KvDocument> {
    const apiPath = `${vaultPath(mount)}/${vaultPath(path)}`;
    try {
      const body = await this.calls.read(apiPath, options);
      return { mount, path, kvVersion: 1, data: asRecord(body?.data) };
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.status === 404) {
        if (failure.errors.some((e) => /no handler for route/i.test(e))) throw noSuchEngine(mount, this.calls.connection.namespace);
        if (failure.warnings.some((w) => V2_WARNING.test(w))) {
          throw new VaultError('INVALID_LINK', `${mount} is a KV v2 engine, but the link says --kv-version 1.`, {
            provider: PROVIDER_ID,
            issues: [{ field: 'kv-version', problem: 'is 1, but the engine is KV v2', expected: '2, or no --kv-version' }],
          });
        }
        throw missingSecret(mount, path, 1);
      }
      throw await this.fail(error, this.context(apiPath));
    }
  }

  /** `<mount>/metadata/<path>` (KV v2 only): versions and times, no values. */
  async readV2Metadata(mount: string, path: string, options: CallOptions): Promise<Record<string, unknown>> {
    const apiPath = `${vaultPath(mount)}/metadata/${vaultPath(path)}`;
    try {
      const body = await this.calls.read(apiPath, options);
      return asRecord(body?.data);
    } catch (error) {
      throw await this.fail(error, this.context(apiPath));
    }
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function v2Document(mount: string, path: string, body: unknown): KvDocument {
  const outer = asRecord(asRecord(body)['data']);
  const meta = asRecord(outer['metadata']);
  return {
    mount,
    path,
    kvVersion: 2,
    data: asRecord(outer['data']),
    metadata: {
      ...(typeof meta['created_time'] === 'string' ? { createdTime: meta['created_time'] } : {}),
      ...(typeof meta['version'] === 'number' ? { version: meta['version'] } : {}),
      ...(typeof meta['deletion_time'] === 'string' && meta['deletion_time'] ? { deletionTime: meta['deletion_time'] } : {}),
      ...(meta['destroyed'] === true ? { destroyed: true } : {}),
      ...('custom_metadata' in meta ? { customMetadata: meta['custom_metadata'] as Record<string, unknown> | null } : {}),
    },
  };
}

/** KV v2 answers a deleted/destroyed version with 404 plus its metadata. */
function deletionOf(body: unknown): { deletionTime?: string; destroyed: boolean; version?: number } | undefined {
  const meta = asRecord(asRecord(asRecord(body)['data'])['metadata']);
  const deletionTime = typeof meta['deletion_time'] === 'string' && meta['deletion_time'] ? meta['deletion_time'] : undefined;
  const destroyed = meta['destroyed'] === true;
  if (!deletionTime && !destroyed) return undefined;
  return {
    ...(deletionTime ? { deletionTime } : {}),
    destroyed,
    ...(typeof meta['version'] === 'number' ? { version: meta['version'] } : {}),
  };
}

export function unsupportedEngine(engine: string, type?: string): VaultError {
  return new VaultError(
    'UNSUPPORTED_ENGINE',
    `${engine} is ${type ? `a "${type}" secrets engine` : 'not a KV secrets engine'}; vaultlink reads KV engines (v1 and v2) only.`,
    {
      provider: PROVIDER_ID,
      details: { engine, ...(type ? { type } : {}) },
      fix: 'link a secret in a KV engine (--engine MOUNT of a kv engine)',
    },
  );
}

function noSuchEngine(engine: string, namespace?: string): VaultError {
  return new VaultError('NOT_FOUND', `No secrets engine is mounted at ${engine}/${namespace ? ` in namespace ${namespace}` : ''}.`, {
    provider: PROVIDER_ID,
    details: { engine },
    fix: 'check --engine (the KV mount path, e.g. secret)',
  });
}

function missingSecret(mount: string, path: string, kvVersion: 1 | 2, version?: number): VaultError {
  return new VaultError(
    'NOT_FOUND',
    version !== undefined ? `${mount}/${path} has no version ${version} (KV v2).` : `No secret at ${mount}/${path} (KV v${kvVersion}).`,
    {
      provider: PROVIDER_ID,
      details: { engine: mount, path, kvVersion, ...(version !== undefined ? { version } : {}) },
      fix: 'check --engine, --path and --version',
    },
  );
}

function deletedVersion(
  mount: string,
  path: string,
  version: number | undefined,
  deletion: { deletionTime?: string; destroyed: boolean; version?: number },
): VaultError {
  const which = version ?? deletion.version;
  const what = deletion.destroyed ? 'was destroyed' : `was deleted at ${deletion.deletionTime}`;
  return new VaultError(
    'NOT_FOUND',
    `${which !== undefined ? `Version ${which} of ` : 'The latest version of '}${mount}/${path} ${what}.`,
    {
      provider: PROVIDER_ID,
      details: { engine: mount, path, ...(which !== undefined ? { version: which } : {}), destroyed: deletion.destroyed },
      fix: deletion.destroyed
        ? 'pin another version with --version N'
        : 'undelete it in Vault (vault kv undelete), or pin another version with --version N',
    },
  );
}
