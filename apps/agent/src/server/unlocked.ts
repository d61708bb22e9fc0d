/**
 * The agent's unlocked state: the file store holding the data key, one `Vault` (with its
 * cache, singleflight and sessions) shared by every client, the change check on the vault
 * file, session renewal and the idle lock. Locking zeroes the key buffers (Node cannot
 * scrub strings; the cache's values are dropped with the Vault) once the requests in
 * flight are done.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  defaultResolveDirs,
  loadProvider,
  openFileStore,
  Vault,
  type AnyProvider,
  type FileVaultStore,
  type StoreWarning,
  type TeamConfigLocation,
} from '@vault/core';
import type { RequestContext } from '../shared/protocol.js';
import { IdleTimer } from './idle-timer.js';
import type { AgentLog } from './log.js';
import { SessionRenewal } from './renewal.js';
import { WatchedVaultFile } from './vault-watch.js';

export interface UnlockInput {
  passphrase?: string;
  /**
   * Where the passphrase came from, for the fix of a wrong one: `env` (VAULTLINK_PASSPHRASE of the
   * client) names the variable; `prompt` (typed on the CLI's terminal or in the page) asks to type
   * it again. Unsaid counts as typed, so a fix never blames a variable the person did not set.
   */
  passphraseFrom?: 'env' | 'prompt';
  /** VAULTLINK_KEY: the data key, base64 (no KDF). */
  key?: string;
}

/** What the request being served brings: where its client runs, and where its store warnings go. */
export interface RequestScope {
  ctx?: RequestContext;
  onWarning?: (warning: StoreWarning) => void;
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
  /** The highest vault generation the agent saw before it locked: an older file is reported as rolled back. */
  minGeneration: number;
  /** Every store warning (a rolled-back file), for the agent's log; the requesting client also gets it. */
  onWarning: (warning: StoreWarning) => void;
}

export class UnlockedVault {
  /** The request being served: provider resolution and the team config follow its client. */
  private readonly requestScope = new AsyncLocalStorage<RequestScope>();
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
    const resolveDirs = (): string[] => [...(this.requestScope.getStore()?.ctx?.resolveFrom ?? []), options.cwd, ...defaultResolveDirs()];
    this.vault = new Vault({
      store: this.file,
      env: options.env,
      cwd: options.cwd,
      teamConfig: () => this.teamConfig(),
      cacheMaxEntries: options.cacheMaxEntries,
      loadProvider: async (id) =>
        countingReads(await loadProvider(id, { env: options.env, resolveFrom: resolveDirs() }), options.onUpstreamRead),
    });
    this.idle = new IdleTimer(options.idleLockMinutes, options.onIdle);
    this.renewal = new SessionRenewal(
      {
        sessions: async () =>
          Object.values((await this.file.read()).integrations)
            .filter((i) => !i.loggedOutAt)
            .map((i) => i.session),
        canRenew: async (id) => typeof (await this.vault.provider(id)).refresh === 'function',
        renew: (id) => this.vault.renewSession(id),
      },
      options.log,
    );
  }

  /** Opens the vault; `scope` is the unlock request's (a rollback found now is told to its client). */
  static async open(options: UnlockedOptions, input: UnlockInput, scope: RequestScope = {}): Promise<UnlockedVault> {
    const env: Record<string, string | undefined> = { VAULTLINK_KEYCHAIN: options.env.VAULTLINK_KEYCHAIN };
    if (input.passphrase && input.passphraseFrom === 'env') env.VAULTLINK_PASSPHRASE = input.passphrase;
    if (input.key) env.VAULTLINK_KEY = input.key;
    const typed = input.passphrase && input.passphraseFrom !== 'env' ? answerOnce(input.passphrase) : undefined;
    let unlocked: UnlockedVault | undefined;
    // openFileStore reads the file once: a rollback found then belongs to the unlock request.
    const onWarning = (warning: StoreWarning): void => {
      if (unlocked) return unlocked.warn(warning);
      options.onWarning(warning);
      scope.onWarning?.(warning);
    };
    const store = await openFileStore({
      home: options.home,
      env,
      minGeneration: options.minGeneration,
      onWarning,
      ...(typed ? { passphrase: typed } : {}),
    });
    unlocked = new UnlockedVault(store, options);
    await unlocked.requestScope.run(scope, () => unlocked!.refresh());
    unlocked.idle.restart();
    return unlocked;
  }

  /** The highest vault generation seen: kept by the agent across a lock, for the next unlock. */
  get highWaterMark(): number {
    return this.store.highWaterMark;
  }

  /** Requests being served right now. */
  get inFlight(): number {
    return this.inflight;
  }

  /**
   * Runs one client request: no idle lock while it runs, and the cache is pruned first if the
   * vault file changed (another process relinked, removed, disabled or disconnected).
   */
  async run<T>(scope: RequestScope, work: (vault: Vault) => Promise<T>): Promise<T> {
    this.inflight++;
    this.idle.stop();
    try {
      return await this.requestScope.run(scope, async () => {
        await this.refresh();
        return work(this.vault);
      });
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
    this.refreshing = this.refreshing
      .catch(() => undefined)
      .then(async () => {
        if (!(await this.file.changed())) return;
        await this.vault.pruneCache();
        await this.renewal.plan();
      });
    return this.refreshing;
  }

  /** Where the request being served looks for the team config: its client's folder and VAULTLINK_TEAM_CONFIG. */
  private teamConfig(): TeamConfigLocation {
    const ctx = this.requestScope.getStore()?.ctx;
    if (!ctx) return { cwd: this.options.cwd, env: this.options.env };
    return teamConfigLocation(ctx);
  }

  /** A store warning goes to the agent's log and to the client whose request met it. */
  private warn(warning: StoreWarning): void {
    this.options.onWarning(warning);
    this.requestScope.getStore()?.onWarning?.(warning);
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

/** Where a client's requests find the team config: its folder, and its VAULTLINK_TEAM_CONFIG (relative to that folder). */
export function teamConfigLocation(ctx: RequestContext): TeamConfigLocation {
  return { cwd: ctx.cwd, env: ctx.teamConfig ? { VAULTLINK_TEAM_CONFIG: ctx.teamConfig } : {} };
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

/** A typed passphrase handed to the store as its prompt's answer, once: the store keeps no copy reachable after. */
function answerOnce(passphrase: string): () => Promise<string> {
  let answer: string | undefined = passphrase;
  return async () => {
    const given = answer ?? '';
    answer = undefined;
    return given;
  };
}
