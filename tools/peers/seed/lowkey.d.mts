import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import type { LowkeyPeer } from '../require-peer.mjs';

/** Fixed-token credential for seeding (Lowkey requires a token but does not validate it). */
export declare const seedingCredential: TokenCredential;

export interface LowkeySeeder {
  readonly vaultUrl: string;
  client(): Promise<SecretClient>;
  setSecret(
    name: string,
    value: string,
    options?: { contentType?: string; tags?: Record<string, string>; enabled?: boolean; expiresOn?: Date; notBefore?: Date },
  ): Promise<{ id: string | undefined; version: string | undefined; name: string }>;
  /** One version per value, oldest first; returns the version ids. */
  setSecretVersions(name: string, values: string[]): Promise<(string | undefined)[]>;
  /** Disables a version (default latest); returns the version id. */
  disableSecret(name: string, version?: string): Promise<string | undefined>;
  enableSecret(name: string, version: string): Promise<void>;
  deleteSecret(name: string, options?: { purge?: boolean }): Promise<void>;
}

export declare function lowkeySeeder(
  peer: Pick<LowkeyPeer, 'url'>,
  options?: { vaultUrl?: string; credential?: TokenCredential; serviceVersion?: string },
): LowkeySeeder;
