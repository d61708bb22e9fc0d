import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../src/store/format.js';
import { initFileStore, openFileStore } from '../../src/store/index.js';
import { Keychain, type KeyringEntryOptions } from '../../src/store/keychain.js';
import { FAST_KDF, FakeKeyring, PASSPHRASE, localSecret, tempHome, vaultErrorOf } from './helpers.js';

const headerOf = async (path: string) => {
  const bytes = await readFile(path);
  return JSON.parse(bytes.subarray(...layoutOf(bytes).header).toString('utf8'));
};

const noKeyring = async () => {
  throw new Error('Cannot find module @napi-rs/keyring-linux-x64-gnu');
};

/** Probed with the real @napi-rs/keyring, once, while the file is collected. */
const realKeychainProblem = await new Keychain().probe();

describe('encrypted vault file: OS keychain', () => {
  // Runs where the real keychain is unusable: headless Linux, CI (no Secret Service on D-Bus).
  it.skipIf(realKeychainProblem === null)(
    'where the real @napi-rs/keyring is unusable (headless), init falls back to the passphrase without crashing',
    async () => {
      const home = await tempHome();
      const store = await initFileStore({ home, env: { VAULTLINK_PASSPHRASE: PASSPHRASE }, kdf: FAST_KDF });
      expect(store.keyProtection).toBe('passphrase');
      expect(store.keychainUnavailableReason).toMatch(/OS keychain/);
      expect((await headerOf(store.path)).kdf.name).toBe('scrypt');
      const reopened = await openFileStore({ home, env: { VAULTLINK_PASSPHRASE: PASSPHRASE } });
      expect(reopened.keyProtection).toBe('passphrase');
    },
  );

  it('with no keychain and no passphrase, init says to set VAULTLINK_PASSPHRASE', async () => {
    const home = await tempHome();
    const error = await vaultErrorOf(initFileStore({ home, env: {}, kdf: FAST_KDF, loadKeyring: noKeyring }));
    expect(error.code).toBe('VAULT_LOCKED');
    expect(JSON.stringify(error.fix)).toContain('VAULTLINK_PASSPHRASE');
  });

  it('a keyring module that fails to load (missing native binary) is a clean fallback', async () => {
    const home = await tempHome();
    const store = await initFileStore({
      home,
      env: { VAULTLINK_PASSPHRASE: PASSPHRASE },
      kdf: FAST_KDF,
      loadKeyring: noKeyring,
    });
    expect(store.keyProtection).toBe('passphrase');
    expect(store.keychainUnavailableReason).toContain('Cannot find module');
  });

  it('with a working keychain, the data key is wrapped by a random key kept in the keychain (pinned to the persistent Secret Service)', async () => {
    const home = await tempHome();
    const keyring = new FakeKeyring();
    const store = await initFileStore({ home, env: {}, loadKeyring: keyring.load });
    expect(store.keyProtection).toBe('keychain');
    expect(store.keychainUnavailableReason).toBeUndefined();
    await store.update((data) => {
      data.secrets.A = localSecret('A', 'keychain-protected');
    });

    const header = await headerOf(store.path);
    expect(header.kdf).toMatchObject({ name: 'keychain', service: 'vaultlink' });
    // The key, and beside it the generation high-water mark (rollback detection): 2 writes so far.
    expect([...keyring.items.keys()].sort()).toEqual([`vaultlink/${header.kdf.account}`, `vaultlink/${header.kdf.account}.generation`]);
    expect(keyring.items.get(`vaultlink/${header.kdf.account}.generation`)).toBe('2');
    // Never the kernel keyring (keyutils), which forgets at reboot.
    expect(keyring.entryOptions.every((options) => options?.linux?.store === 'secret-service')).toBe(true);
    const kek = Buffer.from(keyring.items.get(`vaultlink/${header.kdf.account}`)!, 'base64');
    expect(kek.length).toBe(32);
    expect((await readFile(store.path)).includes(kek)).toBe(false);

    // No passphrase needed to open; the key comes from the keychain.
    const reopened = await openFileStore({ home, env: {}, loadKeyring: keyring.load });
    expect(reopened.keyProtection).toBe('keychain');
    expect((await reopened.read()).secrets.A?.secret).toEqual({ kind: 'local', value: 'keychain-protected' });
  });

  it('a keychain that passes the probe but refuses the vault key falls back to the passphrase and leaves no entry', async () => {
    const home = await tempHome();
    const keyring = new FakeKeyring();
    const { AsyncEntry: Real } = keyring.module();
    const refusing = async () => ({
      AsyncEntry: class extends Real {
        private readonly account: string;
        constructor(service: string, account: string, options?: KeyringEntryOptions) {
          super(service, account, options);
          this.account = account;
        }
        override async getPassword(): Promise<string | null> {
          // Stores the vault key but reads back nothing, as a broken keychain might.
          return this.account.startsWith('vault-') ? null : super.getPassword();
        }
      },
    });
    const store = await initFileStore({ home, env: { VAULTLINK_PASSPHRASE: PASSPHRASE }, kdf: FAST_KDF, loadKeyring: refusing });
    expect(store.keyProtection).toBe('passphrase');
    expect(store.keychainUnavailableReason).toMatch(/refused the vault key/);
    expect(keyring.items.size).toBe(0);
  });

  it('a keychain vault whose keychain entry is gone is VAULT_LOCKED, and the file is untouched', async () => {
    const home = await tempHome();
    const keyring = new FakeKeyring();
    const store = await initFileStore({ home, env: {}, loadKeyring: keyring.load });
    const before = await readFile(store.path);
    keyring.items.clear();
    const error = await vaultErrorOf(openFileStore({ home, env: { VAULTLINK_PASSPHRASE: PASSPHRASE }, loadKeyring: keyring.load }));
    expect(error.code).toBe('VAULT_LOCKED');
    expect(error.message).toMatch(/has no entry "vaultlink\/vault-/);
    expect((await readFile(store.path)).equals(before)).toBe(true);
  });

  it('a keychain vault opened where no keychain works is VAULT_LOCKED naming the keychain, not a crash', async () => {
    const home = await tempHome();
    const store = await initFileStore({ home, env: {}, loadKeyring: new FakeKeyring().load });
    const error = await vaultErrorOf(openFileStore({ home, env: {}, loadKeyring: noKeyring }));
    expect(error.code).toBe('VAULT_LOCKED');
    expect(error.message).toMatch(/OS keychain, which could not be read \(Cannot find module/);
    expect(store.keyProtection).toBe('keychain');
  });

  it('VAULTLINK_KEYCHAIN=off (or keychain: off) uses the passphrase even when a keychain works', async () => {
    const keyring = new FakeKeyring();
    const viaEnv = await initFileStore({
      home: await tempHome(),
      env: { VAULTLINK_KEYCHAIN: 'off', VAULTLINK_PASSPHRASE: PASSPHRASE },
      kdf: FAST_KDF,
      loadKeyring: keyring.load,
    });
    const viaOption = await initFileStore({
      home: await tempHome(),
      env: { VAULTLINK_PASSPHRASE: PASSPHRASE },
      keychain: 'off',
      kdf: FAST_KDF,
      loadKeyring: keyring.load,
    });
    expect(viaEnv.keyProtection).toBe('passphrase');
    expect(viaOption.keyProtection).toBe('passphrase');
    expect(keyring.calls).toBe(0);
  });

  it('an unknown VAULTLINK_KEYCHAIN value is INVALID_CONFIG naming the variable', async () => {
    const error = await vaultErrorOf(initFileStore({ home: await tempHome(), env: { VAULTLINK_KEYCHAIN: 'maybe' } }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'VAULTLINK_KEYCHAIN' })]);
  });

  it('refuses keychains on platforms without a persistent one', async () => {
    const keyring = new FakeKeyring();
    expect(await new Keychain(keyring.load, 'freebsd').probe()).toMatch(/no persistent OS keychain/);
    expect(await new Keychain(keyring.load, 'linux').probe()).toBeNull();
    expect(keyring.items.size).toBe(0);
  });
});
