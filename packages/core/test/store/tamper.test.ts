import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../src/store/format.js';
import { initFileStore, openFileStore, type FileVaultStore } from '../../src/store/index.js';
import { localSecret, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

type Section = 'prefix' | 'header' | 'wrappedKey' | 'body' | 'digest';

async function vaultWithSecret(): Promise<{ home: string; store: FileVaultStore }> {
  const home = await tempHome();
  const store = await initFileStore(passphraseOptions(home));
  await store.update((data) => {
    data.secrets.TOKEN = localSecret('TOKEN', 'tamper-test-value');
  });
  return { home, store };
}

function flipByteIn(bytes: Buffer, section: Section): Buffer {
  const [start, end] = layoutOf(bytes)[section];
  const copy = Buffer.from(bytes);
  const at = start + Math.floor((end - start) / 2);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** What a deliberate attacker would do: alter a section and recompute the (unkeyed) trailing digest. */
function withRecomputedDigest(bytes: Buffer): Buffer {
  const digestStart = bytes.length - 32;
  const copy = Buffer.from(bytes);
  createHash('sha256').update(copy.subarray(0, digestStart)).digest().copy(copy, digestStart);
  return copy;
}

/**
 * Every way of touching the vault: a fresh open, init, and update() on a store that was opened
 * before the damage (so it already holds the data key). None may succeed or change the file.
 */
async function expectCorruptAndUntouched(openedBefore: FileVaultStore, damaged: Buffer, expected: RegExp): Promise<void> {
  const { home, path } = openedBefore;
  await writeFile(path, damaged);
  const attempts = [
    () => openFileStore(passphraseOptions(home)),
    () => initFileStore(passphraseOptions(home)),
    () => openedBefore.update((data) => void (data.secrets.NEW = localSecret('NEW', 'x'))),
  ];
  for (const attempt of attempts) {
    const error = await vaultErrorOf(attempt);
    expect(error.code).toBe('VAULT_CORRUPT');
    expect(error.message).toMatch(expected);
    expect(error.message).toContain('was NOT modified');
    expect(error.message).toContain(path);
    expect(JSON.stringify(error.fix)).toMatch(/backup/);
    expect(error.message).not.toContain('tamper-test-value');
  }
  expect((await readFile(path)).equals(damaged)).toBe(true);
}

describe('encrypted vault file: tamper detection', () => {
  for (const section of ['header', 'wrappedKey', 'body', 'digest'] as const) {
    it(`a flipped byte in the ${section} gives VAULT_CORRUPT and the file is left byte-for-byte as it was`, async () => {
      const { store } = await vaultWithSecret();
      const bytes = await readFile(store.path);
      await expectCorruptAndUntouched(store, flipByteIn(bytes, section), /checksum does not match/);
    });
  }

  it('a truncated file gives VAULT_CORRUPT and stays truncated', async () => {
    const { store } = await vaultWithSecret();
    const bytes = await readFile(store.path);
    for (const length of [bytes.length - 1, bytes.length - 40, 100, 10, 0]) {
      await expectCorruptAndUntouched(store, bytes.subarray(0, length), /truncated|checksum|too short|header/);
    }
  });

  it('an unknown file format version gives VAULT_CORRUPT naming the version and the upgrade', async () => {
    const { store } = await vaultWithSecret();
    const bytes = Buffer.from(await readFile(store.path));
    bytes.writeUInt16BE(7, 8);
    await expectCorruptAndUntouched(store, bytes, /format version 7.*upgrade vaultlink/);
  });

  it('a file that is not a vault at all gives VAULT_CORRUPT', async () => {
    const { store } = await vaultWithSecret();
    await expectCorruptAndUntouched(store, Buffer.from('{"secrets":{}}\n'.repeat(20)), /not a vaultlink vault/);
  });

  describe('with the checksum recomputed (a deliberate edit)', () => {
    it('an edited body fails GCM authentication: VAULT_CORRUPT', async () => {
      const { store } = await vaultWithSecret();
      const bytes = withRecomputedDigest(flipByteIn(await readFile(store.path), 'body'));
      await expectCorruptAndUntouched(store, bytes, /do not authenticate/);
    });

    it('an edited body nonce in the header fails GCM authentication: VAULT_CORRUPT', async () => {
      const { store } = await vaultWithSecret();
      const original = await readFile(store.path);
      const [start, end] = layoutOf(original).header;
      const header = JSON.parse(original.subarray(start, end).toString('utf8'));
      const nonce = Buffer.from(header.body.nonce, 'base64');
      nonce[0] = nonce[0]! ^ 0xff;
      const edited = JSON.stringify({ ...header, body: { ...header.body, nonce: nonce.toString('base64') } });
      expect(edited.length).toBe(end - start);
      const bytes = Buffer.concat([original.subarray(0, start), Buffer.from(edited), original.subarray(end)]);
      await expectCorruptAndUntouched(store, withRecomputedDigest(bytes), /do not authenticate/);
    });

    it('an edited wrapped key cannot be told from a wrong passphrase: BAD_PASSPHRASE, file untouched', async () => {
      const { store } = await vaultWithSecret();
      const bytes = withRecomputedDigest(flipByteIn(await readFile(store.path), 'wrappedKey'));
      await writeFile(store.path, bytes);
      expect((await vaultErrorOf(openFileStore(passphraseOptions(store.home)))).code).toBe('BAD_PASSPHRASE');
      expect((await vaultErrorOf(store.update((data) => void (data.secrets.NEW = localSecret('NEW', 'x'))))).code).toBe('BAD_PASSPHRASE');
      expect((await readFile(store.path)).equals(bytes)).toBe(true);
    });
  });
});
