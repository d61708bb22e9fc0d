/** Options of the encrypted file store, and how defaults and the environment fill them in. */
import { resolve } from 'node:path';
import { VaultError } from '../errors.js';
import { DEFAULT_SCRYPT, type ScryptParams } from './kdf.js';
import { loadNapiKeyring, type LoadKeyring } from './keychain.js';
import { DEFAULT_LOCK_STALE_MS } from './lock.js';
import { defaultVaultHome, vaultFilePath, vaultHomeOrigin, type EnvLike } from './paths.js';
import type { HomeOrigin } from './store-errors.js';
import type { StoreWarning } from './generation.js';

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
  /**
   * A generation the caller knows this vault reached (e.g. a long-lived agent's own high-water
   * mark, from `store.highWaterMark`). A file with a lower generation is a rolled-back copy: it is
   * still opened, and `onWarning` gets a `VAULT_ROLLBACK` warning. @default 0
   */
  minGeneration?: number;
  /** Receives store warnings (a rolled-back file; a keychain mark that could not be kept). @default process.emitWarning */
  onWarning?: (warning: StoreWarning) => void;
}

export interface ResolvedStoreOptions {
  home: string;
  /** Which setting chose `home`, for messages. */
  homeOrigin: HomeOrigin;
  path: string;
  env: EnvLike;
  prompt?: () => Promise<string>;
  onKeyDerivation?: () => void;
  keychainMode: 'auto' | 'off';
  loadKeyring: LoadKeyring;
  scrypt: ScryptParams;
  lockStaleMs: number;
  minGeneration: number;
  onWarning: (warning: StoreWarning) => void;
}

export function resolveStoreOptions(options: FileStoreOptions = {}): ResolvedStoreOptions {
  const env = options.env ?? process.env;
  const home = resolve(options.home ?? defaultVaultHome(env));
  return {
    home,
    homeOrigin: options.home !== undefined ? 'option' : vaultHomeOrigin(env),
    path: vaultFilePath(home),
    env,
    prompt: options.passphrase,
    ...(options.onKeyDerivation ? { onKeyDerivation: options.onKeyDerivation } : {}),
    keychainMode: options.keychain ?? keychainModeFromEnv(env),
    loadKeyring: options.loadKeyring ?? loadNapiKeyring,
    scrypt: { ...DEFAULT_SCRYPT, ...options.kdf },
    lockStaleMs: Math.max(2000, options.lockStaleMs ?? DEFAULT_LOCK_STALE_MS),
    minGeneration: checkedGeneration(options.minGeneration),
    onWarning: options.onWarning ?? emitStoreWarning,
  };
}

function keychainModeFromEnv(env: EnvLike): 'auto' | 'off' {
  const raw = (env.VAULTLINK_KEYCHAIN ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'auto' || raw === 'on') return 'auto';
  if (raw === 'off' || raw === '0' || raw === 'false' || raw === 'no') return 'off';
  throw new VaultError('INVALID_CONFIG', 'VAULTLINK_KEYCHAIN has an unknown value.', {
    issues: [
      {
        field: 'VAULTLINK_KEYCHAIN',
        problem: `is "${env.VAULTLINK_KEYCHAIN}"`,
        expected: '"auto" (use the OS keychain when it persists) or "off"',
      },
    ],
    fix: 'set VAULTLINK_KEYCHAIN=auto or VAULTLINK_KEYCHAIN=off (or unset it for auto)',
  });
}

function checkedGeneration(value: number | undefined): number {
  if (value === undefined) return 0;
  if (Number.isSafeInteger(value) && value >= 0) return value;
  throw new VaultError('INVALID_INPUT', 'Invalid minimum vault generation.', {
    issues: [
      {
        field: 'minGeneration',
        problem: `is ${String(value)}`,
        expected: 'a whole number ≥ 0 (a generation read from store.highWaterMark)',
      },
    ],
    fix: 'pass a generation read from store.generation or store.highWaterMark, or leave minGeneration out',
  });
}

/** Without an `onWarning` handler, warnings go where Node prints library warnings (stderr). */
function emitStoreWarning(warning: StoreWarning): void {
  process.emitWarning(warning.message, { code: warning.code, type: 'VaultStoreWarning' });
}
