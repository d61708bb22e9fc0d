/**
 * The agent's operations, independent of the transport: the Unix socket serves them today,
 * and a local web UI can call `handle` with its own ProviderIO tomorrow. Locked, only
 * `status`, `unlock`, `lock` and `stop` work; every vault operation answers VAULT_LOCKED
 * (with `details.agent`), which tells a client that unlocking and retrying is safe.
 */
import { VaultError, type ProviderIO, type StoreWarning } from '@vault/core';
import {
  PROTOCOL_VERSION,
  VAULT_OPS,
  IO_OPS,
  type AgentStatus,
  type RequestContext,
  type UiLink,
  type VaultOp,
} from '../shared/protocol.js';
import type { AgentPaths } from '../shared/paths.js';
import type { AgentLog } from './log.js';
import { silentIO } from './remote-io.js';
import { UnlockedVault, type UnlockInput } from './unlocked.js';
import type { UiServer } from '../http/ui-server.js';
import { VAULT_HANDLERS } from './vault-ops.js';

/** Default minutes without requests before the agent locks (gpg-agent's and 1Password's default). */
export const DEFAULT_IDLE_LOCK_MINUTES = 10;
/** Most fetched values the agent keeps (least recently used evicted first). */
export const DEFAULT_CACHE_MAX_ENTRIES = 2_000;

export interface AgentServiceOptions {
  paths: AgentPaths;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  version: string;
  idleLockMinutes?: number;
  cacheMaxEntries?: number;
  log: AgentLog;
  /** Called once `stop` was answered. */
  onStop: () => void;
}

export interface CallOptions {
  ctx?: RequestContext;
  /** The client's ProviderIO; requests without one cannot ask anything. */
  io?: ProviderIO;
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Store warnings met while serving this call (a rolled-back vault file); also in the agent's log. */
  onWarning?: (warning: StoreWarning) => void;
}

const VAULT_OP_SET: ReadonlySet<string> = new Set(VAULT_OPS);

export class AgentService {
  private unlocked: UnlockedVault | undefined;
  private unlocking: Promise<UnlockedVault> | undefined;
  private readonly startedAt = Date.now();
  private upstreamReads = 0;
  private ui: Promise<UiServer> | undefined;
  private readonly warningListeners = new Set<(warning: StoreWarning) => void>();
  /** The highest vault generation seen, kept across locks: a file older than this is a rollback. */
  private highWaterMark = 0;
  idleLockMinutes: number;
  readonly cacheMaxEntries: number;

  constructor(private readonly options: AgentServiceOptions) {
    this.idleLockMinutes = options.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES;
    this.cacheMaxEntries = options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
  }

  async handle(op: string, args: unknown[], call: CallOptions): Promise<unknown> {
    switch (op) {
      case 'status':
        return this.status();
      case 'unlock':
        return this.unlock((args[0] ?? {}) as UnlockInput, call.onWarning);
      case 'lock':
        return { locked: true, wasUnlocked: await this.lock('request') };
      case 'ui':
        return this.serveUi(args[0], call);
      case 'setIdleLock':
        return this.setIdleLockMinutes(args[0]);
      case 'stop':
        await this.lock('stop');
        await this.closeUi();
        setImmediate(() => this.options.onStop());
        return { pid: process.pid };
      default:
        if (!VAULT_OP_SET.has(op)) {
          throw new VaultError('INVALID_INPUT', `The agent has no operation "${op}".`, {
            issues: [
              {
                field: 'op',
                problem: `"${op}" is unknown`,
                expected: `one of ${[...VAULT_OPS, 'status', 'unlock', 'lock', 'ui', 'setIdleLock', 'stop'].join(', ')}`,
              },
            ],
            fix: { action: 'agent', command: 'restart', hint: 'so the agent of the installed vaultlink version serves it' },
          });
        }
        return this.vaultOp(op as VaultOp, args, call);
    }
  }

  private async vaultOp(op: VaultOp, args: unknown[], call: CallOptions): Promise<unknown> {
    const unlocked = this.unlocked;
    if (!unlocked) throw this.lockedError();
    const io = call.io ?? silentIO(this.options.env);
    const result = await unlocked.run(
      { ...(call.ctx ? { ctx: call.ctx } : {}), ...(call.onWarning ? { onWarning: call.onWarning } : {}) },
      (vault) =>
        VAULT_HANDLERS[op](vault, args, {
          store: unlocked.file,
          io,
          signal: call.signal,
          ...(call.ctx ? { ctx: call.ctx } : {}),
          ...(call.onProgress ? { onProgress: call.onProgress } : {}),
        }),
    );
    // Sign-in changed sessions or integrations: drop what no longer holds, renew on the new schedule.
    if (IO_OPS.has(op)) await unlocked.refresh();
    return result === undefined ? null : result;
  }

  /** Opens the vault with the key material given (or the OS keychain); a no-op when already unlocked. */
  async unlock(input: UnlockInput, onWarning?: (warning: StoreWarning) => void): Promise<{ unlocked: true; already: boolean }> {
    if (this.unlocked) return { unlocked: true, already: true };
    this.unlocking ??= UnlockedVault.open(
      {
        home: this.options.paths.home,
        env: this.options.env,
        cwd: this.options.cwd,
        cacheMaxEntries: this.cacheMaxEntries,
        idleLockMinutes: this.idleLockMinutes,
        log: this.options.log,
        onIdle: () => void this.lock('idle'),
        onUpstreamRead: () => this.upstreamReads++,
        minGeneration: this.highWaterMark,
        onWarning: (warning) => this.logWarning(warning),
      },
      {
        ...(typeof input.passphrase === 'string'
          ? { passphrase: input.passphrase, passphraseFrom: input.passphraseFrom === 'env' ? 'env' : 'prompt' }
          : {}),
        ...(typeof input.key === 'string' ? { key: input.key } : {}),
      },
      onWarning ? { onWarning } : {},
    ).finally(() => (this.unlocking = undefined));
    const source = input.key ? 'key' : input.passphrase ? 'passphrase' : 'keychain';
    try {
      this.unlocked = await this.unlocking;
    } catch (error) {
      this.options.log.event('unlock-failed', { source, code: (error as { code?: string }).code ?? 'INTERNAL' });
      throw error;
    }
    this.options.log.event('unlocked', { source });
    return { unlocked: true, already: false };
  }

  /**
   * Starts the web UI on loopback (once) and returns a new one-time URL for it. Page requests
   * run in the caller's working directory and environment (without the passphrase and key),
   * as its own commands would.
   */
  private async serveUi(options: unknown, call: CallOptions): Promise<UiLink> {
    const given = (options ?? {}) as { env?: unknown };
    const env: Record<string, string | undefined> = {};
    if (given.env && typeof given.env === 'object') {
      for (const [key, value] of Object.entries(given.env))
        if (typeof value === 'string' && key !== 'VAULTLINK_PASSPHRASE' && key !== 'VAULTLINK_KEY') env[key] = value;
    }
    const client = { ctx: call.ctx ?? { cwd: this.options.cwd, resolveFrom: [this.options.cwd] }, env };
    if (!this.ui) {
      // A separate bundle (dist/ui.js), loaded on the first `vaultlink ui`: the agent pays for hono only then.
      const entry = new URL('./ui.js', import.meta.url).href;
      this.ui = (import(entry) as Promise<typeof import('../http/ui-server.js')>).then(({ UiServer }) =>
        UiServer.start(this, client, { log: this.options.log }),
      );
      this.ui.catch(() => (this.ui = undefined));
    }
    return (await this.ui).link(client);
  }

  /** Stops the web UI, if it runs (the agent stops). */
  async closeUi(): Promise<void> {
    const ui = this.ui;
    this.ui = undefined;
    await (await ui?.catch(() => undefined))?.close();
  }

  /** Changes the idle-lock time of this agent run (as `agent start --idle-lock` sets it). */
  setIdleLockMinutes(minutes: unknown): { idleLockMinutes: number } {
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0 || minutes > 10_080) {
      throw new VaultError('INVALID_INPUT', 'Invalid idle-lock time.', {
        issues: [
          {
            field: 'idleLockMinutes',
            problem: `${String(minutes)} is not a whole number of minutes in range`,
            expected: 'a whole number of minutes from 0 (never lock) to 10080 (a week)',
          },
        ],
      });
    }
    this.idleLockMinutes = minutes;
    this.unlocked?.idle.setMinutes(minutes);
    this.options.log.event('idle-lock-changed', { minutes });
    return { idleLockMinutes: minutes };
  }

  /** Drops the key, the cache and the decrypted state. Resolves false when it was already locked. */
  async lock(reason: 'request' | 'idle' | 'stop'): Promise<boolean> {
    const unlocked = this.unlocked;
    if (!unlocked) return false;
    this.unlocked = undefined;
    await unlocked.close();
    this.highWaterMark = Math.max(this.highWaterMark, unlocked.highWaterMark);
    this.options.log.event('locked', { reason });
    return true;
  }

  async status(): Promise<AgentStatus> {
    const unlocked = this.unlocked;
    const base = {
      pid: process.pid,
      version: this.options.version,
      protocol: PROTOCOL_VERSION,
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      home: this.options.paths.home,
      socket: this.options.paths.socket,
      idleLockMinutes: this.idleLockMinutes,
      upstreamReads: this.upstreamReads,
      requestsInFlight: unlocked?.inFlight ?? 0,
      memory: memoryMiB(),
    };
    if (!unlocked)
      return { ...base, locked: true, providers: [], cache: { expiryMinutes: null, maxEntries: this.cacheMaxEntries, entries: [] } };
    await unlocked.refresh();
    const now = Date.now();
    const [integrations, expiryMinutes, entries] = await Promise.all([
      unlocked.vault.integrations(),
      unlocked.vault.getCacheExpiryMinutes(),
      unlocked.vault.cacheEntries(),
    ]);
    const locksAt = unlocked.idle.locksAt;
    return {
      ...base,
      locked: false,
      ...(locksAt ? { locksAt: new Date(locksAt).toISOString() } : {}),
      providers: integrations.map((i) => {
        const renewsAt = unlocked.renewal.renewsAt(i.provider);
        return {
          provider: i.provider,
          organization: i.organization,
          principal: i.principal,
          expiresAt: i.expiresAt,
          expired: i.expired,
          ...(renewsAt ? { renewsAt: new Date(renewsAt).toISOString() } : {}),
        };
      }),
      cache: {
        expiryMinutes,
        maxEntries: this.cacheMaxEntries,
        entries: entries.map((e) => ({
          provider: e.provider,
          names: e.names,
          ageSeconds: Math.max(0, Math.round((now - Date.parse(e.fetchedAt)) / 1000)),
          expiresInSeconds: Math.max(0, Math.round((Date.parse(e.expiresAt) - now) / 1000)),
        })),
      },
    };
  }

  /**
   * Tells `listener` every store warning the agent meets from now on, whichever client's request
   * met it (the web UI shows them: a rolled-back file concerns everyone using the vault).
   */
  onStoreWarning(listener: (warning: StoreWarning) => void): () => void {
    this.warningListeners.add(listener);
    return () => this.warningListeners.delete(listener);
  }

  private logWarning(warning: StoreWarning): void {
    const generations =
      warning.code === 'VAULT_ROLLBACK'
        ? { generation: warning.generation, expected: warning.expected, markSource: warning.markSource }
        : {};
    this.options.log.event('store-warning', { code: warning.code, ...generations });
    for (const listener of this.warningListeners) listener(warning);
  }

  private lockedError(): VaultError {
    return new VaultError('VAULT_LOCKED', `The vaultlink agent for ${this.options.paths.home} is locked (it holds no key).`, {
      fix: {
        action: 'unlock',
        hint: 'commands unlock it themselves with VAULTLINK_PASSPHRASE, VAULTLINK_KEY, the OS keychain or a prompt',
      },
      details: { agent: true, home: this.options.paths.home },
    });
  }
}

function memoryMiB(): AgentStatus['memory'] {
  const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
  // maxRSS is in KiB.
  return {
    rssMiB: mib(process.memoryUsage.rss()),
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    heapUsedMiB: mib(process.memoryUsage().heapUsed),
  };
}
