import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { newNonce, open, sealWithNonce } from '../../src/store/aead.js';
import { decodeContainer, encodeContainer, encodeHead } from '../../src/store/format.js';
import { initFileStore, openFileStore } from '../../src/store/index.js';
import { deriveKek } from '../../src/store/kdf.js';
import { PASSPHRASE, localSecret, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

/** Re-encrypts the vault with the right keys but different plaintext, as a newer (or buggy) vaultlink might. */
async function rewritePlaintext(path: string, rewrite: (json: Record<string, unknown>) => unknown): Promise<Buffer> {
  const container = decodeContainer(await readFile(path));
  if (container.header.kdf.name !== 'scrypt') throw new Error('test expects a passphrase vault');
  const { N, r, p, salt } = container.header.kdf;
  const kek = await deriveKek(PASSPHRASE, Buffer.from(salt, 'base64'), { N, r, p });
  const dataKey = open(kek, Buffer.from(container.header.keyWrap.nonce, 'base64'), container.wrappedKey, container.keyWrapAad)!;
  const json = JSON.parse(
    open(dataKey, Buffer.from(container.header.body.nonce, 'base64'), container.sealedBody, container.bodyAad)!.toString('utf8'),
  );
  const nonce = newNonce();
  const head = encodeHead({ ...container.header, body: { alg: 'A256GCM', nonce: nonce.toString('base64') } }, container.wrappedKey);
  const bytes = encodeContainer(head, sealWithNonce(dataKey, nonce, Buffer.from(JSON.stringify(rewrite(json))), head));
  await writeFile(path, bytes);
  return bytes;
}

describe('encrypted vault file: data validation on read', () => {
  it('data written by a newer vaultlink (unknown data version) gives VAULT_CORRUPT naming the version, file untouched', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const bytes = await rewritePlaintext(store.path, (json) => ({ ...json, version: 2 }));
    const error = await vaultErrorOf(openFileStore(passphraseOptions(home)));
    expect(error.code).toBe('VAULT_CORRUPT');
    expect(error.message).toMatch(/data version 2.*upgrade vaultlink/);
    expect((await vaultErrorOf(store.update(() => undefined))).code).toBe('VAULT_CORRUPT');
    expect((await readFile(store.path)).equals(bytes)).toBe(true);
  });

  it('a malformed secret entry names the field but never the stored value', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    await store.update((data) => {
      data.secrets.PAY = localSecret('PAY', 'shape-check-secret-value');
    });
    await rewritePlaintext(store.path, (json) => {
      const secrets = json.secrets as Record<string, Record<string, unknown>>;
      secrets.PAY!.enabled = 'shape-check-secret-value';
      return json;
    });
    const error = await vaultErrorOf(openFileStore(passphraseOptions(home)));
    expect(error.code).toBe('VAULT_CORRUPT');
    expect(error.message).toContain('secrets["PAY"].enabled');
    expect(error.message).not.toContain('shape-check-secret-value');
  });
});
