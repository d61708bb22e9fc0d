/**
 * Rollback detection (issue 12 item 8): every write raises an authenticated generation in the
 * header; a copy of an older file is still a valid vault, and is reported by comparing its
 * generation with a high-water mark it cannot reach: the OS keychain (keychain vaults), the store's
 * memory, or `minGeneration` from the caller (the agent).
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { initFileStore, openFileStore, type FileVaultStore, type StoreWarning } from '../../src/store/index.js';
import { open, sealWithNonce } from '../../src/store/aead.js';
import { decodeContainer, encodeContainer, encodeHead, layoutOf, type VaultHeader } from '../../src/store/format.js';
import { deriveKek } from '../../src/store/kdf.js';
import { FakeKeyring, localSecret, PASSPHRASE, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

async function write(store: FileVaultStore, name: string): Promise<void> {
  await store.update((data) => {
    data.secrets[name] = localSecret(name, `value of ${name}`);
  });
}

describe('vault generation', () => {
  it('starts at 1 and grows by one per write; peekGeneration reads it without a key', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    expect(store.generation).toBe(1);
    await write(store, 'A');
    await write(store, 'B');
    await store.update(() => undefined); // no change, no write
    expect(store.generation).toBe(3);
    expect(decodeContainer(await readFile(store.path)).header.generation).toBe(3);
    const other = await openFileStore(passphraseOptions(home));
    expect(await other.peekGeneration()).toBe(3);
    await write(store, 'C');
    expect(await other.peekGeneration()).toBe(4);
    expect(other.generation).toBe(3); // what it last read (authenticated)
  });

  it('is authenticated: editing it in the header makes the file fail to open', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    await write(store, 'A');
    const bytes = await readFile(store.path);
    const layout = layoutOf(bytes);
    const header = bytes.subarray(...layout.header).toString('utf8');
    const edited = Buffer.from(header.replace('"generation":2', '"generation":9'), 'utf8');
    expect(edited.length).toBe(layout.header[1] - layout.header[0]);
    const tampered = Buffer.concat([bytes.subarray(0, layout.header[0]), edited, bytes.subarray(layout.header[1], layout.digest[0])]);
    await writeFile(store.path, encodeContainer(tampered.subarray(0, layout.body[0]), tampered.subarray(layout.body[0])));
    expect((await vaultErrorOf(openFileStore(passphraseOptions(home)))).code).toBe('VAULT_CORRUPT');
  });

  it('a keychain vault rolled back to an older copy is opened with a VAULT_ROLLBACK warning from the keychain mark', async () => {
    const home = await tempHome();
    const keyring = new FakeKeyring();
    const options = { home, env: {}, loadKeyring: keyring.load };
    const store = await initFileStore(options);
    await write(store, 'A');
    await copyFile(store.path, `${store.path}.old`); // generation 2
    await write(store, 'B');
    await write(store, 'C'); // generation 4

    await copyFile(`${store.path}.old`, store.path);
    const warnings: StoreWarning[] = [];
    const reopened = await openFileStore({ ...options, onWarning: (warning) => warnings.push(warning) });
    expect(Object.keys((await reopened.read()).secrets)).toEqual(['A']);
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'VAULT_ROLLBACK', path: store.path, generation: 2, expected: 4, markSource: 'keychain' }),
    ]);
    expect(warnings[0]?.message).toMatch(
      /older copy: its generation is 2, but generation 4 was already written \(recorded in the OS keychain\)/,
    );

    // Writing on goes above the mark, so the mark never moves back and the warning stops.
    await write(reopened, 'D');
    expect(reopened.generation).toBe(5);
    const later: StoreWarning[] = [];
    await openFileStore({ ...options, onWarning: (warning) => later.push(warning) });
    expect(later).toEqual([]);
  });

  it('a passphrase vault has no keychain mark: minGeneration from the caller (the agent) catches the rollback', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    await copyFile(store.path, `${store.path}.old`); // generation 1
    await write(store, 'A');
    await write(store, 'B');
    const mark = store.highWaterMark;
    expect(mark).toBe(3);
    await copyFile(`${store.path}.old`, store.path);

    const unwarned: StoreWarning[] = [];
    await openFileStore(passphraseOptions(home, undefined, { onWarning: (w) => unwarned.push(w) }));
    expect(unwarned).toEqual([]); // the documented limit: no keychain, no mark across processes

    const warnings: StoreWarning[] = [];
    await openFileStore(passphraseOptions(home, undefined, { minGeneration: mark, onWarning: (w) => warnings.push(w) }));
    expect(warnings).toEqual([expect.objectContaining({ code: 'VAULT_ROLLBACK', generation: 1, expected: 3, markSource: 'caller' })]);
  });

  it('a long-lived store notices a file rolled back under it, once per older generation', async () => {
    const home = await tempHome();
    const warnings: StoreWarning[] = [];
    const store = await initFileStore(passphraseOptions(home, undefined, { onWarning: (w) => warnings.push(w) }));
    await copyFile(store.path, `${store.path}.old`);
    await write(store, 'A');
    await copyFile(`${store.path}.old`, store.path);
    await store.read();
    await store.read();
    expect(warnings).toEqual([expect.objectContaining({ code: 'VAULT_ROLLBACK', generation: 1, expected: 2, markSource: 'this process' })]);
  });

  it('a vault written before generations existed opens as generation 0, and its next write is generation 1', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    await write(store, 'A');
    await rewriteWithoutGeneration(store.path, PASSPHRASE);
    expect(await readFile(store.path, 'latin1')).not.toContain('"generation"');

    const legacy = await openFileStore(passphraseOptions(home));
    expect(legacy.generation).toBe(0);
    expect(Object.keys((await legacy.read()).secrets)).toEqual(['A']);
    await write(legacy, 'B');
    expect(decodeContainer(await readFile(store.path)).header.generation).toBe(1);
  });

  it('minGeneration must be a whole number ≥ 0', async () => {
    const home = await tempHome();
    await initFileStore(passphraseOptions(home));
    const error = await vaultErrorOf(openFileStore(passphraseOptions(home, undefined, { minGeneration: -1 })));
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error.fix).toBeTruthy();
  });
});

/** Re-seals a vault with the header an older vaultlink wrote: no `generation` field. */
async function rewriteWithoutGeneration(path: string, passphrase: string): Promise<void> {
  const container = decodeContainer(await readFile(path));
  const kdf = container.header.kdf;
  if (kdf.name !== 'scrypt') throw new Error('expected a passphrase vault');
  const kek = await deriveKek(passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
  const dataKey = open(kek, Buffer.from(container.header.keyWrap.nonce, 'base64'), container.wrappedKey, container.keyWrapAad)!;
  const nonce = Buffer.from(container.header.body.nonce, 'base64');
  const body = open(dataKey, nonce, container.sealedBody, container.bodyAad)!;
  const { generation: _dropped, ...legacy } = container.header;
  const head = encodeHead(legacy as VaultHeader, container.wrappedKey);
  await writeFile(path, encodeContainer(head, sealWithNonce(dataKey, nonce, body, head)));
}
