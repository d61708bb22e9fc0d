/**
 * The facade apps use (CLI, runner). Implemented by `Vault` in vault.ts.
 * Every method throws VaultError with a stable code; no method returns or logs
 * a value except `resolve*`, whose results the caller must mask in output.
 */
import type { AnyProvider, ProviderFields, ProviderIO, Session } from './contract.js';
import type { Fix } from './fixes.js';
import type { SecretEntry } from './model.js';

export type UnresolvedReason =
  | 'missing' // no secret by that name
  | 'disabled' // secret disabled
  | 'disconnected' // linked, but its provider has no integration
  | 'reauth' // session expired and could not be refreshed
  | 'denied' // ACCESS_DENIED upstream
  | 'not-found' // NOT_FOUND / KEY_NOT_FOUND upstream
  | 'unavailable' // PROVIDER_UNAVAILABLE / THROTTLED / TIMEOUT
  | 'not-installed' // provider package missing
  | 'error'; // anything else

export type Resolution =
  | { name: string; ok: true; value: string; allowedDomains: string[]; source: 'local' | 'linked'; provider?: string }
  | { name: string; ok: false; reason: UnresolvedReason; code: string; message: string; fix?: Fix };

export interface SecretInfo {
  name: string;
  kind: 'local' | 'linked';
  enabled: boolean;
  allowedDomains: string[];
  provider?: string;
  identifier?: string;
  version?: string;
  extra?: Record<string, string>;
  /** Linked only, this process: when the value was last fetched and when its cache entry expires. */
  lastFetchedAt?: string;
  cacheExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface IntegrationInfo {
  provider: string;
  displayName: string;
  organization: string;
  principal: string;
  connectedAt: string;
  expiresAt: string | null;
  expired: boolean;
  adminManaged: boolean;
  linkedSecrets: number;
  /**
   * Set when the team config no longer matches this admin-managed integration (an admin
   * disconnected it, or its settings changed): its references are unresolved (reason `disconnected`).
   */
  disconnected?: { message: string; fix?: Fix };
}

/** What signing out did to the session's credentials upstream. */
export interface SignOutOutcome {
  /** true: revoked upstream; false: only forgotten here (e.g. a token the user brought); null: there was no live session to sign out. */
  revoked: boolean | null;
  /** The provider's explanation for the user (never a secret). */
  note?: string;
}

export interface VaultApi {
  /** Local secret (create or replace). */
  setLocal(name: string, value: string, options?: { allowedDomains?: string[] }): Promise<void>;
  /** Link (create or replace: relinking drops the old cache entry). Returns provider warnings. */
  link(name: string, providerId: string, fields: ProviderFields, options?: { allowedDomains?: string[] }): Promise<{ warnings: string[] }>;
  setAllowedDomains(name: string, domains: string[]): Promise<void>;
  remove(name: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<void>;
  list(filter?: string): Promise<SecretInfo[]>;
  show(name: string): Promise<SecretInfo>;
  /** Metadata from upstream, never the value. */
  describe(name: string, options?: { signal?: AbortSignal }): Promise<SecretInfo & { upstream?: Record<string, unknown> }>;
  entry(name: string): Promise<SecretEntry | undefined>;

  connect(providerId: string, fields: ProviderFields, io: ProviderIO): Promise<IntegrationInfo>;
  reauth(providerId: string, io: ProviderIO, fields?: ProviderFields): Promise<IntegrationInfo>;
  /** Removes the integration (admin-managed: needs admin rights via provider.teardown). Links stay; their references become unresolved (reason: disconnected). */
  disconnect(providerId: string, io: ProviderIO, fields?: ProviderFields): Promise<SignOutOutcome>;
  /** Drops only this user's session (provider.signOut where defined); the integration/team config stays. */
  logout(providerId: string): Promise<SignOutOutcome>;
  integrations(): Promise<IntegrationInfo[]>;
  session(providerId: string): Promise<Session | undefined>;
  /** Admin-managed setup: writes the team config. Null when the provider had nothing to record (nothing was written). */
  setup(providerId: string, fields: ProviderFields, io: ProviderIO): Promise<Record<string, unknown> | null>;

  getCacheExpiryMinutes(): Promise<number>;
  setCacheExpiryMinutes(minutes: number): Promise<void>;
  /** Drops cached values (all, or one secret's). Async when the cache lives in the agent. */
  resetCache(name?: string): void | Promise<void>;

  /** Resolves names with batching, de-duplication and the cache. Never throws for one bad name. */
  resolveNames(
    names: readonly string[],
    options?: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  ): Promise<Map<string, Resolution>>;
  /** Resolves one name or throws its VaultError (UNRESOLVED with reason, or the upstream code). */
  get(name: string, options?: { signal?: AbortSignal }): Promise<string>;

  provider(providerId: string): Promise<AnyProvider>;
}
