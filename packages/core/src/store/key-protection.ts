/**
 * Who holds the key-encryption key (KEK) that wraps the vault's data key: the OS keychain, or a
 * passphrase stretched with scrypt. Creating a protection and unwrapping the data key live here,
 * together with the error each failure maps to.
 */
import { VaultError } from '../errors.js';
import { KEY_LENGTH, NONCE_LENGTH, newKey, open, seal } from './aead.js';
import { keyWrapAad, type KdfHeader, type VaultContainer } from './format.js';
import { Keychain, KEYCHAIN_SERVICE, describeError } from './keychain.js';
import { deriveKek, newSalt, scryptParamsProblem, type ScryptParams } from './kdf.js';
import type { EnvLike } from './paths.js';
import { takePassphraseFromEnv } from './env-passphrase.js';
import {
  badDataKey,
  badPassphrase,
  keychainLocked,
  passphraseNeededToCreate,
  passphraseRequired,
  unusablePassphrase,
  vaultCorrupt,
} from './store-errors.js';
import { suppliedDataKey } from './supplied-key.js';
import { randomBytes } from 'node:crypto';

export type KeyProtection = 'keychain' | 'passphrase';

export interface KeySources {
  path: string;
  env: EnvLike;
  /** Asks the user on a terminal; absent when not interactive. */
  prompt?: () => Promise<string>;
  keychain: Keychain;
  /** Told when the KDF has started (see FileStoreOptions.onKeyDerivation). */
  onKeyDerivation?: () => void;
}

export interface NewProtection {
  protection: KeyProtection;
  kdf: KdfHeader;
  dataKey: Buffer;
  keyWrapNonce: Buffer;
  wrappedKey: Buffer;
  /** Why the keychain was not used, when it was wanted but unusable. */
  keychainUnavailableReason?: string;
  /** Undo side effects outside the file (the keychain entry) when the vault could not be written. */
  discard(): Promise<void>;
}

interface Passphrase {
  value: string;
  source: 'env' | 'prompt';
}

export async function createProtection(
  sources: KeySources,
  options: { keychain: 'auto' | 'off'; scrypt: ScryptParams },
): Promise<NewProtection> {
  const problem = scryptParamsProblem(options.scrypt);
  if (problem) {
    throw new VaultError('INVALID_INPUT', 'Invalid key derivation settings.', {
      issues: [{ field: 'kdf', problem, expected: 'N a power of two from 2^10 to 2^22, r 1–32, p 1–16' }],
      fix: 'leave the kdf option out to use the default cost',
    });
  }
  const dataKey = newKey();
  let keychainUnavailableReason: string | undefined;
  if (options.keychain === 'auto') {
    keychainUnavailableReason = (await sources.keychain.probe()) ?? undefined;
    if (keychainUnavailableReason === undefined) {
      const kek = newKey();
      const account = `vault-${randomBytes(16).toString('hex')}`;
      try {
        await sources.keychain.setKey(account, kek);
      } catch (error) {
        keychainUnavailableReason = `the OS keychain refused the vault key (${describeError(error)})`;
        // Do not leave a half-stored key behind; if even that fails, say so rather than hide it.
        await sources.keychain.deleteKey(account).catch((cleanupError: unknown) => {
          keychainUnavailableReason += `; removing its entry "${KEYCHAIN_SERVICE}/${account}" also failed (${describeError(cleanupError)})`;
        });
      }
      if (keychainUnavailableReason === undefined) {
        const { nonce, sealed } = seal(kek, dataKey, keyWrapAad());
        return {
          protection: 'keychain',
          kdf: { name: 'keychain', service: KEYCHAIN_SERVICE, account },
          dataKey,
          keyWrapNonce: nonce,
          wrappedKey: sealed,
          discard: () => sources.keychain.deleteKey(account),
        };
      }
    }
  }
  const passphrase = await obtainPassphrase(sources, 'create');
  const salt = newSalt();
  const kek = await deriveKek(passphrase.value, salt, options.scrypt);
  const { nonce, sealed } = seal(kek, dataKey, keyWrapAad());
  return {
    protection: 'passphrase',
    kdf: { name: 'scrypt', ...options.scrypt, salt: salt.toString('base64') },
    dataKey,
    keyWrapNonce: nonce,
    wrappedKey: sealed,
    keychainUnavailableReason,
    discard: async () => undefined,
  };
}

/** Recovers the data key of a file whose digest already checked out. */
export async function unwrapDataKey(
  container: VaultContainer,
  sources: KeySources,
): Promise<{ dataKey: Buffer; protection: KeyProtection }> {
  const { kdf, keyWrap } = container.header;
  const supplied = suppliedDataKey(sources.env);
  if (supplied) {
    // No KDF: the key is checked by opening the body with it.
    const bodyNonce = Buffer.from(container.header.body.nonce, 'base64');
    const body = open(supplied, bodyNonce, container.sealedBody, container.bodyAad);
    if (!body) throw badDataKey(sources.path);
    body.fill(0);
    return { dataKey: supplied, protection: kdf.name === 'keychain' ? 'keychain' : 'passphrase' };
  }
  const nonce = Buffer.from(keyWrap.nonce, 'base64');
  if (nonce.length !== NONCE_LENGTH) throw vaultCorrupt(sources.path, 'its key-wrap nonce has the wrong length');

  if (kdf.name === 'keychain') {
    let kek: Buffer | null;
    try {
      kek = await sources.keychain.getKey(kdf.account);
    } catch (error) {
      throw keychainLocked(sources.path, `could not be read (${describeError(error)})`, error);
    }
    if (kek === null)
      throw keychainLocked(
        sources.path,
        `has no entry "${kdf.service}/${kdf.account}" (was the file copied from another machine or user?)`,
      );
    if (kek.length !== KEY_LENGTH) throw keychainLocked(sources.path, `holds a malformed key in "${kdf.service}/${kdf.account}"`);
    const dataKey = open(kek, nonce, container.wrappedKey, container.keyWrapAad);
    kek.fill(0);
    if (!dataKey) throw keychainLocked(sources.path, `holds a key in "${kdf.service}/${kdf.account}" that does not open this vault`);
    return { dataKey, protection: 'keychain' };
  }

  const params = { N: kdf.N, r: kdf.r, p: kdf.p };
  const problem = scryptParamsProblem(params);
  if (problem) throw vaultCorrupt(sources.path, `its key derivation settings are out of range (${problem})`);
  const salt = Buffer.from(kdf.salt, 'base64');
  if (salt.length < 16) throw vaultCorrupt(sources.path, 'its scrypt salt is too short');
  const passphrase = await obtainPassphrase(sources, 'open');
  const deriving = deriveKek(passphrase.value, salt, params);
  sources.onKeyDerivation?.();
  const kek = await deriving;
  const dataKey = open(kek, nonce, container.wrappedKey, container.keyWrapAad);
  kek.fill(0);
  // The digest already ruled out accidental damage, so a failed unwrap means the KEK is wrong.
  if (!dataKey) throw badPassphrase(sources.path, passphrase.source);
  return { dataKey, protection: 'passphrase' };
}

/** Re-wraps an existing data key under a new passphrase (same data key, so other open processes keep working). */
export async function wrapWithPassphrase(
  dataKey: Buffer,
  passphrase: string,
  scrypt: ScryptParams,
): Promise<Pick<NewProtection, 'kdf' | 'keyWrapNonce' | 'wrappedKey'>> {
  assertNewPassphrase(passphrase, 'passphrase');
  const salt = newSalt();
  const kek = await deriveKek(passphrase, salt, scrypt);
  const { nonce, sealed } = seal(kek, dataKey, keyWrapAad());
  return { kdf: { name: 'scrypt', ...scrypt, salt: salt.toString('base64') }, keyWrapNonce: nonce, wrappedKey: sealed };
}

/**
 * The passphrase from VAULTLINK_PASSPHRASE (taken out of the environment on first read, see
 * env-passphrase.ts), else from the prompt. An empty variable counts as unset. A new passphrase
 * (`create`) must have a visible character; an existing vault opens with whatever it was made with.
 */
async function obtainPassphrase(sources: KeySources, purpose: 'create' | 'open'): Promise<Passphrase> {
  const fromEnv = takePassphraseFromEnv(sources.env);
  if (fromEnv !== undefined && fromEnv !== '') {
    if (purpose === 'create') assertNewPassphrase(fromEnv, 'VAULTLINK_PASSPHRASE');
    return { value: fromEnv, source: 'env' };
  }
  if (!sources.prompt) {
    const variable = fromEnv === '' ? 'empty' : 'unset';
    throw purpose === 'create' ? passphraseNeededToCreate(sources.path, variable) : passphraseRequired(sources.path, variable);
  }
  const typed = await sources.prompt();
  if (purpose === 'open') {
    if (typed === '') throw badPassphrase(sources.path, 'prompt');
  } else {
    assertNewPassphrase(typed, 'passphrase');
  }
  return { value: typed, source: 'prompt' };
}

/** Refuses an empty or whitespace-only new passphrase. */
export function assertNewPassphrase(passphrase: string, field: string): void {
  if (passphrase.trim() === '') throw unusablePassphrase(field);
}
