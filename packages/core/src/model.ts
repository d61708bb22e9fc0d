/**
 * The plaintext shape of the local vault, as it exists only in memory after decryption.
 * It never holds a value fetched from an external vault: linked secrets keep only their link.
 */
import type { Session, TeamSettings } from './contract.js';

export const VAULT_DATA_VERSION = 1 as const;

export interface LocalSecret {
  kind: 'local';
  value: string;
}

export interface LinkedSecret {
  kind: 'linked';
  provider: string;
  /** The provider's parsed link (JSON). */
  link: Record<string, unknown>;
}

export interface SecretEntry {
  name: string;
  secret: LocalSecret | LinkedSecret;
  /** Postman `_domains`: `*.` wildcards, https when no scheme, any port. Empty = any host. */
  allowedDomains: string[];
  /** Disabled secrets are kept but their references stay unresolved (reason: disabled). */
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Integration {
  provider: string;
  /** Options given at connect time that reauth reuses (no secrets: those live in the session). */
  connectOptions: Record<string, unknown>;
  session: Session;
  connectedAt: string;
  /** Set by `logout`: the session's credentials were dropped; `reauth` signs in again. */
  loggedOutAt?: string;
  /**
   * Admin-managed providers: the team settings the session was signed in with (null: a personal
   * connection made without team settings). When the team config no longer has them, the
   * integration counts as disconnected. Absent for other providers and for older vaults.
   */
  team?: TeamSettings | null;
}

export interface VaultSettings {
  /** Cache expiry in whole minutes; 0 disables caching. Default 60. */
  cacheExpiryMinutes: number;
}

export interface VaultData {
  version: typeof VAULT_DATA_VERSION;
  secrets: Record<string, SecretEntry>;
  integrations: Record<string, Integration>;
  settings: VaultSettings;
}

export const DEFAULT_CACHE_EXPIRY_MINUTES = 60;

export function emptyVaultData(): VaultData {
  return {
    version: VAULT_DATA_VERSION,
    secrets: {},
    integrations: {},
    settings: { cacheExpiryMinutes: DEFAULT_CACHE_EXPIRY_MINUTES },
  };
}

/** Storage of `VaultData`. The real one is the encrypted file; tests may use memory. */
export interface VaultStore {
  /** Decrypts and returns the current data. */
  read(): Promise<VaultData>;
  /**
   * Read-modify-write under the inter-process lock. The mutator receives a fresh copy
   * read inside the lock. Either the whole new state is durably written or nothing is.
   */
  update<T>(mutate: (data: VaultData) => T | Promise<T>): Promise<T>;
}
