import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../src/store/format.js';
import { initFileStore, openFileStore } from '../../src/store/index.js';
import { FAST_KDF, PASSPHRASE, localSecret, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

describe('encrypted vault file: passphrase', () => {
  it('a wrong VAULTLINK_PASSPHRASE gives BAD_PASSPHRASE pointing at the variable, and the file is untouched', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    await store.update((data) => {
      data.secrets.A = localSecret('A', 'a');
    });
    const before = await readFile(store.path);
    const error = await vaultErrorOf(openFileStore(passphraseOptions(home, 'Correct horse battery staple')));
    expect(error.code).toBe('BAD_PASSPHRASE');
    expect(JSON.stringify(error.fix)).toContain('VAULTLINK_PASSPHRASE');
    expect(error.message).not.toContain('orse battery');
    const initAgain = await vaultErrorOf(initFileStore(passphraseOptions(home, 'wrong')));
    expect(initAgain.code).toBe('BAD_PASSPHRASE');
    expect((await readFile(store.path)).equals(before)).toBe(true);
  });

  it('a wrong typed passphrase gives BAD_PASSPHRASE asking to type it again', async () => {
    const home = await tempHome();
    await initFileStore(passphraseOptions(home));
    const error = await vaultErrorOf(openFileStore({ home, env: {}, passphrase: async () => 'nope' }));
    expect(error.code).toBe('BAD_PASSPHRASE');
    expect(error.fix).toEqual({ action: 'retry', hint: expect.stringContaining('type the vault passphrase again') });
    expect(JSON.stringify(error.fix)).not.toContain('VAULTLINK_PASSPHRASE');
  });

  it('without VAULTLINK_PASSPHRASE and without a terminal the vault is VAULT_LOCKED, naming the variable', async () => {
    const home = await tempHome();
    const created = await initFileStore(passphraseOptions(home));
    const before = await readFile(created.path);
    const error = await vaultErrorOf(openFileStore({ home, env: {} }));
    expect(error.code).toBe('VAULT_LOCKED');
    expect(JSON.stringify(error.fix)).toContain('VAULTLINK_PASSPHRASE');
    const emptyVar = await vaultErrorOf(openFileStore({ home, env: { VAULTLINK_PASSPHRASE: '' } }));
    expect(emptyVar.code).toBe('VAULT_LOCKED');
    expect((await readFile(created.path)).equals(before)).toBe(true);
  });

  it('init without any passphrase source is VAULT_LOCKED and creates no file', async () => {
    const home = await tempHome();
    const error = await vaultErrorOf(initFileStore({ home, env: {}, keychain: 'off', kdf: FAST_KDF }));
    expect(error.code).toBe('VAULT_LOCKED');
    await expect(readFile(`${home}/vault.enc`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('asks the prompt once per process when the variable is not set, and prefers the variable when it is', async () => {
    const home = await tempHome();
    let asked = 0;
    const prompt = async () => {
      asked += 1;
      return PASSPHRASE;
    };
    const store = await initFileStore({ home, env: {}, passphrase: prompt, keychain: 'off', kdf: FAST_KDF });
    await store.update((data) => {
      data.secrets.A = localSecret('A', 'a');
    });
    await store.read();
    expect(asked).toBe(1);
    const reopened = await openFileStore({ home, env: { VAULTLINK_PASSPHRASE: PASSPHRASE }, passphrase: prompt });
    expect((await reopened.read()).secrets.A).toBeDefined();
    expect(asked).toBe(1);
  });

  it('an empty passphrase is refused at init with INVALID_INPUT', async () => {
    const home = await tempHome();
    const error = await vaultErrorOf(initFileStore({ home, env: {}, passphrase: async () => '', keychain: 'off', kdf: FAST_KDF }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((issue) => issue.field)).toEqual(['passphrase']);
  });

  it('refuses scrypt settings out of range with INVALID_INPUT naming kdf, before asking for anything', async () => {
    const home = await tempHome();
    let asked = 0;
    const error = await vaultErrorOf(
      initFileStore({ home, env: {}, keychain: 'off', kdf: { N: 1000 }, passphrase: async () => (asked++, PASSPHRASE) }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((issue) => issue.field)).toEqual(['kdf']);
    expect(asked).toBe(0);
  });

  it('treats differently composed Unicode passphrases as the same (NFC)', async () => {
    const home = await tempHome();
    await initFileStore(passphraseOptions(home, 'caf\u00e9 au lait'));
    const reopened = await openFileStore(passphraseOptions(home, 'cafe\u0301 au lait'));
    expect(reopened.keyProtection).toBe('passphrase');
  });

  it('uses strong scrypt settings unless a caller lowers them explicitly', async () => {
    const home = await tempHome();
    const store = await initFileStore({ home, env: { VAULTLINK_PASSPHRASE: PASSPHRASE }, keychain: 'off' });
    const bytes = await readFile(store.path);
    const header = JSON.parse(bytes.subarray(...layoutOf(bytes).header).toString('utf8'));
    expect(header.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
  });

  it('changePassphrase re-wraps the key: the new passphrase opens the vault, the old one no longer does, data kept', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    await store.update((data) => {
      data.secrets.KEEP = localSecret('KEEP', 'kept');
    });
    await store.changePassphrase('a brand new passphrase');
    expect((await vaultErrorOf(openFileStore(passphraseOptions(home)))).code).toBe('BAD_PASSPHRASE');
    const reopened = await openFileStore(passphraseOptions(home, 'a brand new passphrase'));
    expect((await reopened.read()).secrets.KEEP?.secret).toEqual({ kind: 'local', value: 'kept' });
    expect((await store.read()).secrets.KEEP).toBeDefined();
  });
});
