/** What the parts of the facade share: the store, providers, cache, gates, clock and team config location. */
import type { AnyProvider, Session } from '../contract.js';
import type { VaultStore } from '../model.js';
import type { MicroBatcher } from '../cache/batcher.js';
import type { SecretCache } from '../cache/secret-cache.js';
import type { Singleflight } from '../cache/singleflight.js';
import type { ProviderGate } from '../engine/gate.js';
import type { TeamConfigLocation } from '../team-config.js';
import type { ManifestFallback } from '../manifest/fallback.js';

export interface FetchItem {
  link: Record<string, unknown>;
  session: Session;
}

export interface FetchedValue {
  value: string;
  version?: string;
}

export interface VaultContext {
  store: VaultStore;
  getProvider(id: string): Promise<AnyProvider>;
  cache: SecretCache;
  /** Secret names whose values were cached under each link key (for `resetCache(name)`). */
  keysByName: Map<string, Set<string>>;
  /** `connectedAt` of each live integration at the last prune (to notice a reconnect). */
  integrationStamps: Map<string, string>;
  flights: Singleflight<FetchedValue>;
  sessionFlights: Singleflight<Session>;
  batcher(providerId: string, provider: AnyProvider): MicroBatcher<FetchItem, FetchedValue>;
  /** Every upstream call of a provider goes through its gate (concurrency, Retry-After, time bounds). */
  gate(providerId: string, provider: AnyProvider): ProviderGate;
  now(): number;
  team: TeamConfigLocation;
  /** Links for names the vault does not have (VAULTLINK_LINKS); absent when none is configured. */
  manifest?: ManifestFallback;
  /** When micro-batchers flush (tests); default next tick. */
  schedule?: (flush: () => void) => void;
}
