/** Options of the encrypted file store, and how defaults and the environment fill them in. */
import { resolve } from 'node:path';
import { VaultError } from '../errors.js';
import { DEFAULT_SCRYPT, type ScryptParams } from './kdf.js';
import { loadNapiKeyring, type LoadKeyring } from './keychain.js';
import { DEFAULT_LOCK_STALE_MS } from './lock.js';
import { defaultVaultHome, vaultFilePath, type EnvLike } from './paths.js';

export interface FileStoreOptions {
  /** Directory holding `vault.enc`. @default VAULTLINK_HOME, else the XDG data dir (see `defaultVaultHome`) */
  home?: string;
  /** Environment to read VAULTLINK_HOME / VAULTLINK_PASSPHRASE / VAULTLINK_KEYCHAIN from. @default process.env */
  env?: EnvLike;
  /** Asks for the passphrase on a terminal. Leave it out when not interactive: a missing passphrase then fails with VAULT_LOCKED. */
  passphrase?: () => Promise<string>;
  /** `off` never uses the OS keychain (also `VAULTLINK_KEYCHAIN=off`). Only read by `initFileStore`. @default 'auto' */
  keychain?: 'auto' | 'off';
  /** Replaces `@napi-rs/keyring` (tests inject a fake keychain). @default dynamic import of @napi-rs/keyring */
  loadKeyring?: LoadKeyring;
  /**
   * scrypt cost for a NEW passphrase (init, changePassphrase). Lower costs make a stolen vault file
   * cheaper to brute-force: only tests should lower it. @default { N: 2^17, r: 8, p: 1 }
   */
  kdf?: Partial<ScryptParams>;
  /** Age after which a lock left by a dead writer is taken over (min 2000). @default 10000 */
  lockStaleMs?: number;
  /**
   * Called once the passphrase KDF runs in the thread pool, so a host can start heavy synchronous
   * loading (newman) only then, and overlap the two.
   */
  onKeyDerivation?: () => void;
}

export interface ResolvedStoreOptions {
  home: string;
  path: string;
  env: EnvLike;
  prompt?: () => Promise<string>;
  onKeyDerivation?: () => void;
  keychainMode: 'auto' | 'off';
  loadKeyring: LoadKeyring;
  scrypt: ScryptParams;
  lockStaleMs: number;
}

export function resolveStoreOptions(options: FileStoreOptions = {}): ResolvedStoreOptions {
  const env = options.env ?? process.env;
  const home = resolve(options.home ?? defaultVaultHome(env));
  return {
    home,
    path: vaultFilePath(home),
    env,
    prompt: options.passphrase,
    ...(options.onKeyDerivation ? { onKeyDerivation: options.onKeyDerivation } : {}),
    keychainMode: options.keychain ?? keychainModeFromEnv(env),
    loadKeyring: options.loadKeyring ?? loadNapiKeyring,
    scrypt: { ...DEFAULT_SCRYPT, ...options.kdf },
    lockStaleMs: Math.max(2000, options.lockStaleMs ?? DEFAULT_LOCK_STALE_MS),
  };
}

function keychainModeFromEnv(env: EnvLike): 'auto' | 'off' {
  const raw = (env.VAULTLINK_KEYCHAIN ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'auto' || raw === 'on') return 'auto';
  if (raw === 'off' || raw === '0' || raw === 'false' || raw === 'no') return 'off';
  throw new VaultError('INVALID_CONFIG', 'VAULTLINK_KEYCHAIN has an unknown value.', {
    issues: [{ field: 'VAULTLINK_KEYCHAIN', problem: `is "${env.VAULTLINK_KEYCHAIN}"`, expected: '"auto" (use the OS keychain when it persists) or "off"' }],
  });
}
