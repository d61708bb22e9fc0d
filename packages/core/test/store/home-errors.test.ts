/**
 * Wrong or vague errors about the home and the passphrase (issue 12 item 15): each names what is
 * wrong and the fix, never INTERNAL with a "check permissions or disk space" guess.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultVaultHome, initFileStore, openFileStore, vaultExists } from '../../src/store/index.js';
import { FAST_KDF, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

const notVague = (error: { code: string; message: string; fix?: unknown }) => {
  expect(error.code).not.toBe('INTERNAL');
  expect(`${error.message} ${JSON.stringify(error.fix)}`).not.toMatch(/disk space/);
};

describe('a vault home that is not a directory', () => {
  it('VAULTLINK_HOME pointing at a file is INVALID_CONFIG naming the variable, for open, init and vaultExists', async () => {
    const file = await tempHome();
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, 'not a directory');
    const env = { VAULTLINK_HOME: file, VAULTLINK_PASSPHRASE: 'p' };
    for (const attempt of [
      () => openFileStore({ env }),
      () => initFileStore({ env, keychain: 'off', kdf: FAST_KDF }),
      () => vaultExists({ env }),
    ]) {
      const error = await vaultErrorOf(attempt);
      notVague(error);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain(`The vault home ${file} (from VAULTLINK_HOME) is a file, not a directory`);
      expect(error.issues[0]?.field).toBe('VAULTLINK_HOME');
      expect(error.fix).toEqual({ action: 'manual', text: expect.stringMatching(/set VAULTLINK_HOME to a directory/) });
    }
    expect(await readFile(file, 'utf8')).toBe('not a directory');
  });

  it('a home under a file is INVALID_CONFIG too', async () => {
    const file = await tempHome();
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, 'x');
    const error = await vaultErrorOf(initFileStore(passphraseOptions(join(file, 'vaultlink'))));
    notVague(error);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('part of its path is a file');
  });

  it('a vault.enc that is a directory is INVALID_CONFIG saying so, with a way out', async () => {
    const home = await tempHome();
    await mkdir(join(home, 'vault.enc'), { recursive: true, mode: 0o700 });
    for (const attempt of [() => openFileStore(passphraseOptions(home)), () => initFileStore(passphraseOptions(home))]) {
      const error = await vaultErrorOf(attempt);
      notVague(error);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain(`${join(home, 'vault.enc')} is a directory, not a vault file`);
      expect(error.fix).toEqual({ action: 'manual', text: expect.stringContaining('vaultlink init') });
    }
  });
});

describe('passphrases at init', () => {
  it('an empty VAULTLINK_PASSPHRASE at init says a new passphrase is needed, not that a vault is protected', async () => {
    const home = await tempHome();
    const error = await vaultErrorOf(initFileStore({ home, env: { VAULTLINK_PASSPHRASE: '' }, keychain: 'off', kdf: FAST_KDF }));
    expect(error.message).toContain(`Creating the vault ${join(home, 'vault.enc')} needs a new passphrase`);
    expect(error.message).toContain('VAULTLINK_PASSPHRASE is empty');
    expect(error.message).not.toMatch(/is protected by a passphrase/);
    expect(error.fix).toEqual({ action: 'manual', text: expect.stringMatching(/set VAULTLINK_PASSPHRASE to a new passphrase/) });
    expect(existsSync(join(home, 'vault.enc'))).toBe(false);
  });

  it('a whitespace-only passphrase is refused from the variable, the prompt and changePassphrase; no vault is made', async () => {
    const home = await tempHome();
    const fromEnv = await vaultErrorOf(initFileStore({ home, env: { VAULTLINK_PASSPHRASE: ' \t ' }, keychain: 'off', kdf: FAST_KDF }));
    expect(fromEnv.code).toBe('INVALID_INPUT');
    expect(fromEnv.issues[0]).toMatchObject({ field: 'VAULTLINK_PASSPHRASE', problem: 'is empty or only whitespace' });
    expect(fromEnv.fix).toBeTruthy();
    const typed = await vaultErrorOf(initFileStore({ home, env: {}, passphrase: async () => '\u00a0 ', keychain: 'off', kdf: FAST_KDF }));
    expect(typed.code).toBe('INVALID_INPUT');
    expect(existsSync(join(home, 'vault.enc'))).toBe(false);

    const store = await initFileStore(passphraseOptions(home));
    const change = await vaultErrorOf(store.changePassphrase('   '));
    expect(change.code).toBe('INVALID_INPUT');
    expect(change.fix).toBeTruthy();
  });
});

describe('HOME that gives no place for the vault', () => {
  it('HOME="" is INVALID_CONFIG naming HOME and VAULTLINK_HOME, and nothing is created under the current directory', async () => {
    const error = await vaultErrorOf(initFileStore({ env: { HOME: '', VAULTLINK_PASSPHRASE: 'p' }, keychain: 'off', kdf: FAST_KDF }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('HOME) is empty');
    expect(error.fix).toEqual({ action: 'manual', text: expect.stringContaining('VAULTLINK_HOME') });
    expect(existsSync(join(process.cwd(), '.local'))).toBe(false);
    expect(() => defaultVaultHome({ HOME: 'relative/dir' }, { platform: 'linux' })).toThrow(/relative path/);
  });

  it('a relative XDG_DATA_HOME is ignored, as the XDG spec says', () => {
    expect(defaultVaultHome({ XDG_DATA_HOME: 'data', HOME: '/home/ada' }, { platform: 'linux' })).toBe(
      join('/home/ada', '.local', 'share', 'vaultlink'),
    );
  });
});
