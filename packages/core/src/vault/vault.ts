/**
 * `Vault`: the facade the CLI and the runner use (implements VaultApi). It ties the store,
 * the providers, the team config and the in-memory cache together. Fetched values live
 * only in this object's cache; they are never written to the store.
 */
import type { AnyProvider, ProviderFields, ProviderIO, Session } from '../contract.js';
import { VaultError } from '../errors.js';
import type { SecretEntry, VaultStore } from '../model.js';
import type { BatcherOptions, MicroBatcher } from '../cache/batcher.js';
import { ProviderGate } from '../engine/gate.js';
import { boundsFromEnv } from '../engine/bounds.js';
import { SecretCache } from '../cache/secret-cache.js';
import { Singleflight } from '../cache/singleflight.js';
import { loadProvider, type LoadProviderOptions } from '../providers/loader.js';
import type { TeamConfigLocation } from '../team-config.js';
import type { IntegrationInfo, Resolution, SecretInfo, SignOutOutcome, VaultApi } from '../vault-api.js';
import type { FetchItem, FetchedValue, VaultContext } from './context.js';
import * as integrations from './integrations.js';
import { createProviderBatcher, resolveOutcomes, type Outcome, type ResolveOptions } from './resolve.js';
import * as secrets from './secrets.js';
import { manifestFallback } from '../manifest/fallback.js';
import { ensureSession, notConnectedError, renewSession } from './sessions.js';
import { cachedValues, pruneCache, type CachedValueInfo } from './cache-state.js';
import { dropProviderCache, teamDisconnection } from './team-binding.js';

export const MAX_CACHE_EXPIRY_MINUTES = 525_600; // one year

export interface VaultOptions {
  store: VaultStore;
  /** Providers to use by id instead of loading packages (tests, embedding). */
  providers?: AnyProvider[] | Record<string, AnyProvider>;
  /** Loads providers not given in `providers`. @default loadProvider(id, { resolveFrom, env, memory }) */
  loadProvider?: (id: string) => Promise<AnyProvider>;
  /** Directories providers are resolved from. @default process.cwd(), the script's directory, core's own location */
  resolveFrom?: string[];
  /** Options of the built-in memory provider when it is loaded by id. */
  memory?: LoadProviderOptions['memory'];
  /** Environment for providers and the team config. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the team config is looked up from. @default process.cwd() */
  cwd?: string;
  /**
   * Where the team config is found, asked at each use (overrides `cwd` and the env's
   * VAULTLINK_TEAM_CONFIG): for a long-lived host serving clients in different folders, such as
   * the agent, which answers with the folder of the request being served.
   */
  teamConfig?: () => TeamConfigLocation;
  /** Clock in ms. @default () => Date.now() (so fake timers apply) */
  now?: () => number;
  /** Upstream calls in flight at once, per provider. @default each provider's `capabilities.concurrency` */
  concurrency?: number;
  /** Timeout of one upstream request, handed to providers, in ms. @default VAULTLINK_REQUEST_TIMEOUT_MS, else 15000 */
  requestTimeoutMs?: number;
  /** Bound of one provider call with its retries, in ms; then PROVIDER_UNAVAILABLE. @default VAULTLINK_TOTAL_TIMEOUT_MS, else 45000 */
  totalTimeoutMs?: number;
  /**
   * A link manifest whose links resolve names the vault does not have (the vault's own entries
   * come first). @default VAULTLINK_LINKS from `env`, else none: a manifest is never picked up by itself
   */
  linksFile?: string;
  /** When the micro-batcher flushes. @default after pending promise callbacks, on the next tick */
  schedule?: BatcherOptions<FetchItem, FetchedValue>['schedule'];
  /** Most fetched values kept in memory at once (least recently used evicted first). @default unbounded */
  cacheMaxEntries?: number;
}

export class Vault implements VaultApi {
  private readonly ctx: VaultContext;
  private readonly providerCache = new Map<string, Promise<AnyProvider>>();
  private readonly batchers = new Map<string, MicroBatcher<FetchItem, FetchedValue>>();
  private readonly gates = new Map<string, ProviderGate>();

  constructor(options: VaultOptions) {
    const env = options.env ?? process.env;
    const given = new Map<string, AnyProvider>(
      Array.isArray(options.providers) ? options.providers.map((p) => [p.id, p]) : Object.entries(options.providers ?? {}),
    );
    const load =
      options.loadProvider ??
      ((id: string) =>
        loadProvider(id, {
          env,
          ...(options.resolveFrom ? { resolveFrom: options.resolveFrom } : {}),
          ...(options.memory ? { memory: options.memory } : {}),
        }));
    const team: TeamConfigLocation = { env, ...(options.cwd ? { cwd: options.cwd } : {}) };
    const now = options.now ?? (() => Date.now());
    const bounds = boundsFromEnv(env, options);
    const ctx: VaultContext = {
      store: options.store,
      getProvider: (id) => {
        const provided = given.get(id);
        if (provided) return Promise.resolve(provided);
        let pending = this.providerCache.get(id);
        if (!pending) {
          pending = load(id);
          this.providerCache.set(id, pending);
          // A failed load is not remembered: installing the package fixes it without a restart.
          pending.catch(() => this.providerCache.delete(id));
        }
        return pending;
      },
      cache: new SecretCache({ now, ...(options.cacheMaxEntries ? { maxEntries: options.cacheMaxEntries } : {}) }),
      keysByName: new Map(),
      integrationStamps: new Map(),
      flights: new Singleflight<FetchedValue>(),
      sessionFlights: new Singleflight<Session>(),
      batcher: (id, provider) => {
        let batcher = this.batchers.get(id);
        if (!batcher) {
          batcher = createProviderBatcher(ctx, id, provider);
          this.batchers.set(id, batcher);
        }
        return batcher;
      },
      gate: (id, provider) => {
        let gate = this.gates.get(id);
        if (!gate) {
          gate = new ProviderGate(id, { ...bounds, concurrency: options.concurrency ?? provider.capabilities.concurrency });
          this.gates.set(id, gate);
        }
        return gate;
      },
      now,
      get team() {
        return options.teamConfig?.() ?? team;
      },
      ...(options.schedule ? { schedule: options.schedule } : {}),
    };
    const manifest = manifestFallback(options.linksFile, env, options.cwd, ctx.getProvider);
    if (manifest) ctx.manifest = manifest;
    this.ctx = ctx;
  }

  setLocal(name: string, value: string, options?: { allowedDomains?: string[] }): Promise<void> {
    return secrets.setLocal(this.ctx, name, value, options);
  }

  link(name: string, providerId: string, fields: ProviderFields, options?: { allowedDomains?: string[] }): Promise<{ warnings: string[] }> {
    return secrets.link(this.ctx, name, providerId, fields, options);
  }

  setAllowedDomains(name: string, domains: string[]): Promise<void> {
    return secrets.setAllowedDomains(this.ctx, name, domains);
  }

  remove(name: string): Promise<void> {
    return secrets.remove(this.ctx, name);
  }

  rename(from: string, to: string): Promise<void> {
    return secrets.rename(this.ctx, from, to);
  }

  setEnabled(name: string, enabled: boolean): Promise<void> {
    return secrets.setEnabled(this.ctx, name, enabled);
  }

  list(filter?: string): Promise<SecretInfo[]> {
    return secrets.list(this.ctx, filter);
  }

  show(name: string): Promise<SecretInfo> {
    return secrets.show(this.ctx, name);
  }

  async describe(name: string, options: { signal?: AbortSignal } = {}): Promise<SecretInfo & { upstream?: Record<string, unknown> }> {
    const data = await this.ctx.store.read();
    const entry = data.secrets[name];
    if (!entry) throw secrets.notFound(name);
    const info = await secrets.describeEntry(this.ctx, data, entry);
    if (entry.secret.kind !== 'linked') return info;
    const providerId = entry.secret.provider;
    const integration = data.integrations[providerId];
    if (!integration) throw notConnectedError(providerId);
    const disconnected = await teamDisconnection(this.ctx, integration);
    if (disconnected) {
      dropProviderCache(this.ctx, providerId);
      throw disconnected;
    }
    const provider = await this.ctx.getProvider(providerId);
    const session = await ensureSession(this.ctx, providerId, provider, integration);
    const link = entry.secret.link;
    const upstream = await this.ctx.gate(providerId, provider).run((call) => provider.describe(link, session, call), options.signal);
    return { ...info, upstream };
  }

  entry(name: string): Promise<SecretEntry | undefined> {
    return secrets.entry(this.ctx, name);
  }

  connect(providerId: string, fields: ProviderFields, io: ProviderIO): Promise<IntegrationInfo> {
    return integrations.connect(this.ctx, providerId, fields, io);
  }

  reauth(providerId: string, io: ProviderIO, fields?: ProviderFields): Promise<IntegrationInfo> {
    return integrations.reauth(this.ctx, providerId, io, fields);
  }

  disconnect(providerId: string, io: ProviderIO, fields?: ProviderFields): Promise<SignOutOutcome> {
    return integrations.disconnect(this.ctx, providerId, io, fields);
  }

  logout(providerId: string): Promise<SignOutOutcome> {
    return integrations.logout(this.ctx, providerId);
  }

  integrations(): Promise<IntegrationInfo[]> {
    return integrations.listIntegrations(this.ctx);
  }

  async session(providerId: string): Promise<Session | undefined> {
    return (await this.ctx.store.read()).integrations[providerId]?.session;
  }

  setup(providerId: string, fields: ProviderFields, io: ProviderIO): Promise<Record<string, unknown> | null> {
    return integrations.setup(this.ctx, providerId, fields, io);
  }

  async getCacheExpiryMinutes(): Promise<number> {
    return (await this.ctx.store.read()).settings.cacheExpiryMinutes;
  }

  async setCacheExpiryMinutes(minutes: number): Promise<void> {
    if (!Number.isSafeInteger(minutes) || minutes < 0 || minutes > MAX_CACHE_EXPIRY_MINUTES) {
      throw new VaultError('INVALID_INPUT', 'Invalid cache expiry.', {
        issues: [
          {
            field: 'expiry',
            problem: `${String(minutes)} is not a whole number of minutes in range`,
            expected: `a whole number of minutes from 0 (no caching) to ${MAX_CACHE_EXPIRY_MINUTES}`,
          },
        ],
      });
    }
    await this.ctx.store.update((data) => {
      data.settings.cacheExpiryMinutes = minutes;
    });
    if (minutes === 0) this.ctx.cache.clear();
  }

  resetCache(name?: string): void {
    if (name === undefined) {
      this.ctx.cache.clear();
      this.ctx.flights.forgetAll();
      this.ctx.keysByName.clear();
      return;
    }
    secrets.dropEntryCache(this.ctx, name, undefined);
  }

  /** Like `resetCache(name)`, but also finds the entry of a name this process has not resolved yet. */
  async resetCacheFor(name: string): Promise<void> {
    this.resetCache(name);
    secrets.dropEntryCache(this.ctx, name, await this.entry(name));
  }

  /** The cached values with the names that use them and their times; never the values. */
  async cacheEntries(): Promise<CachedValueInfo[]> {
    return cachedValues(this.ctx, await this.ctx.store.read());
  }

  /** Drops cached values the current vault no longer justifies (after another process changed it). */
  async pruneCache(): Promise<void> {
    pruneCache(this.ctx, await this.ctx.store.read());
  }

  /** Renews `providerId`'s session now (before it expires). Undefined when it cannot renew itself. */
  renewSession(providerId: string): Promise<Session | undefined> {
    return renewSession(this.ctx, providerId);
  }

  async resolveNames(names: readonly string[], options?: ResolveOptions): Promise<Map<string, Resolution>> {
    const outcomes = await resolveOutcomes(this.ctx, names, options);
    return new Map([...outcomes].map(([name, outcome]) => [name, outcome.resolution]));
  }

  /** Like `resolveNames`, with the VaultError behind each failure (for apps that report codes). */
  resolveOutcomes(names: readonly string[], options?: ResolveOptions): Promise<Map<string, Outcome>> {
    return resolveOutcomes(this.ctx, names, options);
  }

  async get(name: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    const outcome = (await resolveOutcomes(this.ctx, [name], options)).get(name)!;
    if (outcome.resolution.ok) return outcome.resolution.value;
    throw outcome.error!;
  }

  provider(providerId: string): Promise<AnyProvider> {
    return this.ctx.getProvider(providerId);
  }
}
