/**
 * VAULTLINK_KEY (the data key, base64, no KDF), exporting it, and forgetting keys (the agent's
 * lock): a wrong or malformed key is reported and the file is never modified.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { initFileStore, openFileStore } from '../../src/index.js';
import { localSecret, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

async function vaultWithSecret() {
  const home = await tempHome();
  const store = await initFileStore(passphraseOptions(home));
  await store.update((data) => {
    data.secrets['k'] = localSecret('k', 'key-test-value');
  });
  return { home, store, key: await store.exportDataKey() };
}

describe('VAULTLINK_KEY', () => {
  it('opens the vault without a passphrase, and writes keep working', async () => {
    const { home, key } = await vaultWithSecret();
    const store = await openFileStore({ home, env: { VAULTLINK_KEY: key }, keychain: 'off' });
    expect((await store.read()).secrets['k']?.secret).toEqual({ kind: 'local', value: 'key-test-value' });
    await store.update((data) => {
      data.settings.cacheExpiryMinutes = 5;
    });
    expect((await (await openFileStore(passphraseOptions(home))).read()).settings.cacheExpiryMinutes).toBe(5);
  });

  it('a key of another vault is BAD_PASSPHRASE naming VAULTLINK_KEY, and the file is untouched', async () => {
    const { home } = await vaultWithSecret();
    const other = await vaultWithSecret();
    const before = await readFile(`${home}/vault.enc`);
    const error = await vaultErrorOf(openFileStore({ home, env: { VAULTLINK_KEY: other.key }, keychain: 'off' }));
    expect(error.code).toBe('BAD_PASSPHRASE');
    expect(error.message).toContain('VAULTLINK_KEY does not open');
    expect(await readFile(`${home}/vault.enc`)).toEqual(before);
  });

  it('a value that is not 32 bytes of base64 is INVALID_CONFIG naming the variable and the expected form', async () => {
    const { home } = await vaultWithSecret();
    for (const bad of ['short', 'not base64 !!', Buffer.alloc(16).toString('base64')]) {
      const error = await vaultErrorOf(openFileStore({ home, env: { VAULTLINK_KEY: bad }, keychain: 'off' }));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.issues[0]).toMatchObject({ field: 'VAULTLINK_KEY', expected: expect.stringContaining('vaultlink key export') });
    }
  });
});

describe('forgetKeys', () => {
  it('zeroes the data key buffers; the next read unwraps the key again', async () => {
    const { store } = await vaultWithSecret();
    const held = [...(store as unknown as { dataKeys: Map<string, { dataKey: Buffer }> }).dataKeys.values()].map((k) => k.dataKey);
    expect(held.length).toBe(1);
    expect(held[0]!.some((b) => b !== 0)).toBe(true);
    store.forgetKeys();
    expect(held[0]!.every((b) => b === 0)).toBe(true);
    expect((await store.read()).secrets['k']).toBeDefined();
  });
});
