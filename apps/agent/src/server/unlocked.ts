/**
 * The agent's unlocked state: the file store holding the data key, one `Vault` (with its
 * cache, singleflight and sessions) shared by every client, the change check on the vault
 * file, session renewal and the idle lock. Locking zeroes the key buffers (Node cannot
 * scrub strings; the cache's values are dropped with the Vault) once the requests in
 * flight are done.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultResolveDirs, loadProvider, openFileStore, Vault, type AnyProvider, type FileVaultStore } from '@vault/core';
import type { RequestContext } from '../shared/protocol.js';
import { IdleTimer } from './idle-timer.js';
import type { AgentLog } from './log.js';
import { SessionRenewal } from './renewal.js';
import { WatchedVaultFile } from './vault-watch.js';

export interface UnlockInput {
  passphrase?: string;
  /** VAULTLINK_KEY: the data key, base64 (no KDF). */
  key?: string;
}

export interface UnlockedOptions {
  home: string;
  /** The agent's own environment (providers, VAULTLINK_KEYCHAIN). */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  cacheMaxEntries: number;
  idleLockMinutes: number;
  log: AgentLog;
  onIdle: () => void;
  /** Counts upstream reads (provider readDocument / readBatch calls) for status. */
  onUpstreamRead: () => void;
}

export class UnlockedVault {
  /** The client context of the request being served (provider resolution follows the client). */
  private readonly requestContext = new AsyncLocalStorage<RequestContext>();
  /** The store the Vault uses: decrypts again only when the file changed. */
  readonly file: WatchedVaultFile;
  readonly renewal: SessionRenewal;
  readonly idle: IdleTimer;
  private inflight = 0;
  private refreshing: Promise<void> = Promise.resolve();
  private drained: (() => void) | undefined;
  readonly vault: Vault;

  private constructor(
    readonly store: FileVaultStore,
    private readonly options: UnlockedOptions,
  ) {
    this.file = new WatchedVaultFile(store);
    const resolveDirs = (): string[] => [...(this.requestContext.getStore()?.resolveFrom ?? []), options.cwd, ...defaultResolveDirs()];
    this.vault = new Vault({
      store: this.file,
      env: options.env,
      cwd: options.cwd,
      cacheMaxEntries: options.cacheMaxEntries,
      loadProvider: async (id) => countingReads(await loadProvider(id, { env: options.env, resolveFrom: resolveDirs() }), options.onUpstreamRead),
    });
    this.idle = new IdleTimer(options.idleLockMinutes, options.onIdle);
    this.renewal = new SessionRenewal(
      {
        sessions: async () => Object.values((await this.file.read()).integrations).filter((i) => !i.loggedOutAt).map((i) => i.session),
        canRenew: async (id) => typeof (await this.vault.provider(id)).refresh === 'function',
        renew: (id) => this.vault.renewSession(id),
      },
      options.log,
    );
  }

  static async open(options: UnlockedOptions, input: UnlockInput): Promise<UnlockedVault> {
    const env: Record<string, string | undefined> = { VAULTLINK_KEYCHAIN: options.env.VAULTLINK_KEYCHAIN };
    if (input.passphrase) env.VAULTLINK_PASSPHRASE = input.passphrase;
    if (input.key) env.VAULTLINK_KEY = input.key;
    const store = await openFileStore({ home: options.home, env });
    const unlocked = new UnlockedVault(store, options);
    await unlocked.refresh();
    unlocked.idle.restart();
    return unlocked;
  }

  /** Requests being served right now. */
  get inFlight(): number {
    return this.inflight;
  }

  /**
   * Runs one client request: no idle lock while it runs, and the cache is pruned first if the
   * vault file changed (another process relinked, removed, disabled or disconnected).
   */
  async run<T>(context: RequestContext | undefined, work: (vault: Vault) => Promise<T>): Promise<T> {
    this.inflight++;
    this.idle.stop();
    try {
      await this.refresh();
      return await (context ? this.requestContext.run(context, () => work(this.vault)) : work(this.vault));
    } finally {
      this.inflight--;
      if (this.inflight === 0) {
        this.idle.restart();
        this.drained?.();
      }
    }
  }

  /**
   * Prunes the cache and replans renewals when the vault file changed since the last look.
   * Checks run one after another, so no request passes a prune still under way.
   */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.catch(() => undefined).then(async () => {
      if (!this.file.changed()) return;
      await this.vault.pruneCache();
      await this.renewal.plan();
    });
    return this.refreshing;
  }

  /** Stops timers, waits for requests in flight, then zeroes the key. */
  async close(): Promise<void> {
    this.idle.stop();
    this.renewal.stop();
    if (this.inflight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.vault.resetCache();
    this.file.forget();
    this.store.forgetKeys();
  }
}

const READ_METHODS: ReadonlySet<PropertyKey> = new Set(['readDocument', 'readBatch']);

/** The provider with its upstream reads counted (one count per `readDocument` or `readBatch` call). */
function countingReads(provider: AnyProvider, onRead: () => void): AnyProvider {
  return new Proxy(provider, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (!READ_METHODS.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        onRead();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
