import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openVault, openVaultWithStore, resolveText } from '../src/index.js';
import { FAST_KDF, PASSPHRASE, tempHome } from './store/helpers.js';
import { testIO } from './helpers.js';

const options = (home: string) => ({ home, env: { VAULTLINK_PASSPHRASE: PASSPHRASE }, keychain: 'off' as const, kdf: FAST_KDF, cwd: home });

describe('openVault over the encrypted file store', () => {
  it('needs `create` the first time, then works across reopen; fetched values never reach the file', async () => {
    const home = await tempHome();
    await expect(openVault(options(home))).rejects.toMatchObject({ code: 'VAULT_NOT_INITIALIZED' });
    const { vault, store } = await openVaultWithStore({ ...options(home), create: true });
    expect(store.path).toBe(join(home, 'vault.enc'));
    await vault.setLocal('local', 'local-secret-4321', { allowedDomains: ['api.example.com'] });
    await vault.connect('memory', {}, testIO());
    await vault.link('pay', 'memory', { path: 'demo/payments', key: 'api_key' });
    const resolved = await resolveText(vault, 'key={{vault:pay}}&l={{vault:local}}&x={{vault:nope}}');
    expect(resolved.text).toBe('key=demo-pay-key-5f1c9a27&l=local-secret-4321&x={{vault:nope}}');
    expect(resolved.unresolved.map((u) => [u.name, u.reason])).toEqual([['nope', 'missing']]);

    const reopened = await openVault(options(home));
    expect((await reopened.list()).map((s) => s.name)).toEqual(['local', 'pay']);
    expect((await reopened.integrations()).map((i) => i.provider)).toEqual(['memory']);
    expect(await reopened.get('pay')).toBe('demo-pay-key-5f1c9a27');

    // Nothing in VAULTLINK_HOME holds a value in plaintext, and the decrypted data never holds the fetched one.
    for (const file of await readdir(home)) {
      const bytes = await readFile(join(home, file));
      for (const value of ['demo-pay-key-5f1c9a27', 'local-secret-4321']) expect(bytes.includes(Buffer.from(value))).toBe(false);
    }
    expect(JSON.stringify(await store.read())).not.toContain('demo-pay-key-5f1c9a27');
  });
});
