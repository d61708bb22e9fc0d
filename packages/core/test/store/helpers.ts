/** Shared fixtures of the store tests: temp homes, a fast KDF, a fake keychain, error capture. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { VaultError } from '../../src/errors.js';
import type { SecretEntry } from '../../src/model.js';
import type { FileStoreOptions } from '../../src/store/index.js';
import type { KeyringEntry, KeyringEntryOptions, KeyringModule } from '../../src/store/keychain.js';

/** scrypt at its floor (2^10) so tests run fast; production uses 2^17. Only ever passed explicitly. */
export const FAST_KDF = { N: 2 ** 10, r: 8, p: 1 };
export const PASSPHRASE = 'correct horse battery staple';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

/** A not-yet-existing VAULTLINK_HOME inside a fresh temp dir (removed after the test). */
export async function tempHome(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'vaultlink-store-'));
  roots.push(root);
  return join(root, 'home');
}

/** Options for a passphrase vault with the fast KDF; the real keychain is off unless a test turns it on. */
export function passphraseOptions(
  home: string,
  passphrase: string | undefined = PASSPHRASE,
  extra: FileStoreOptions = {},
): FileStoreOptions {
  return { home, env: { VAULTLINK_PASSPHRASE: passphrase }, keychain: 'off', kdf: FAST_KDF, ...extra };
}

export function localSecret(name: string, value: string, allowedDomains: string[] = []): SecretEntry {
  const now = new Date().toISOString();
  return { name, secret: { kind: 'local', value }, allowedDomains, enabled: true, createdAt: now, updatedAt: now };
}

export async function vaultErrorOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<VaultError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError, but the call succeeded');
}

/** An in-memory stand-in for @napi-rs/keyring with the same AsyncEntry surface. */
export class FakeKeyring {
  readonly items = new Map<string, string>();
  readonly entryOptions: (KeyringEntryOptions | undefined)[] = [];
  calls = 0;

  module(): KeyringModule {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the entry class below counts calls on this fake keyring
    const keyring = this;
    class AsyncEntry implements KeyringEntry {
      private readonly id: string;
      constructor(service: string, account: string, options?: KeyringEntryOptions) {
        this.id = `${service}/${account}`;
        keyring.entryOptions.push(options);
      }
      async setPassword(password: string): Promise<void> {
        keyring.calls += 1;
        keyring.items.set(this.id, password);
      }
      async getPassword(): Promise<string | null> {
        keyring.calls += 1;
        return keyring.items.get(this.id) ?? null;
      }
      async deletePassword(): Promise<boolean> {
        keyring.calls += 1;
        return keyring.items.delete(this.id);
      }
    }
    return { AsyncEntry };
  }

  load = async (): Promise<KeyringModule> => this.module();
}
