/**
 * Links and permissions in the vault home (issue 12 item 5). Another user who can write to the
 * home could plant `vault.enc.lock-owner -> /some/file` and make the next write put its lock token
 * in that file, or point `vault.enc` somewhere else. So the home must be a private directory,
 * and nothing in it is opened through a link.
 */
import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initFileStore, openFileStore, vaultExists } from '../../src/store/index.js';
import { localSecret, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

const isRoot = process.getuid?.() === 0;

/** A file outside the home that a planted link points at; it must never change. */
async function victimFile(home: string): Promise<{ path: string; content: string }> {
  const path = join(dirname(home), 'victim.txt');
  const content = 'owned by someone else; must never change\n';
  await writeFile(path, content);
  return { path, content };
}

describe('vault home: links are never followed', () => {
  it('a planted vault.enc.lock-owner link does not make a write land in its target', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const victim = await victimFile(home);
    await symlink(victim.path, join(home, 'vault.enc.lock-owner'));

    await store.update((data) => {
      data.secrets.A = localSecret('A', 'a value');
    });

    expect(await readFile(victim.path, 'utf8')).toBe(victim.content);
    expect((await openFileStore(passphraseOptions(home)).then((s) => s.read())).secrets.A?.secret).toEqual({
      kind: 'local',
      value: 'a value',
    });
  });

  it('a vault.enc that is a link is refused for reads and writes, naming the link and how to fix it; its target is untouched', async () => {
    const home = await tempHome();
    const real = await initFileStore(passphraseOptions(join(dirname(home), 'real-home')));
    await mkdir(home, { mode: 0o700 });
    await symlink(real.path, join(home, 'vault.enc'));
    const before = await readFile(real.path);

    for (const attempt of [
      () => openFileStore(passphraseOptions(home)),
      () => initFileStore(passphraseOptions(home)),
      () => vaultExists({ home }),
    ]) {
      const error = await vaultErrorOf(attempt);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain(`${join(home, 'vault.enc')} is a symbolic link (to ${real.path})`);
      expect(error.fix).toEqual({
        action: 'manual',
        text: `replace the link with the file: mv "${real.path}" "${join(home, 'vault.enc')}"`,
      });
    }
    expect((await readFile(real.path)).equals(before)).toBe(true);
  });

  it('a link swapped in under an open store is refused on the next read and write', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const other = await initFileStore(passphraseOptions(join(dirname(home), 'other-home')));
    await rename(store.path, `${store.path}.moved`);
    await symlink(other.path, store.path);
    expect((await vaultErrorOf(store.read())).code).toBe('INVALID_CONFIG');
    const before = await readFile(other.path);
    expect((await vaultErrorOf(store.update(() => undefined))).code).toBe('INVALID_CONFIG');
    expect((await readFile(other.path)).equals(before)).toBe(true);
  });

  it.runIf(process.platform !== 'win32')('a FIFO planted as vault.enc is refused, without blocking on it', async () => {
    const home = await tempHome();
    await mkdir(home, { mode: 0o700 });
    execFileSync('mkfifo', [join(home, 'vault.enc')]);
    const error = await vaultErrorOf(openFileStore(passphraseOptions(home)));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('is not a regular file');
  });

  it('a vault.enc.lock that is a link is refused before locking', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const elsewhere = join(dirname(home), 'elsewhere');
    await mkdir(elsewhere);
    await symlink(elsewhere, join(home, 'vault.enc.lock'));
    const error = await vaultErrorOf(store.update(() => undefined));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('vault.enc.lock is a symbolic link');
  });
});

describe('vault home: only a private directory is used', () => {
  for (const mode of [0o777, 0o770, 0o757]) {
    it(`a home with mode ${mode.toString(8)} is refused with INVALID_CONFIG and a chmod 700 fix; nothing is written`, async () => {
      const home = await tempHome();
      const store = await initFileStore(passphraseOptions(home));
      const before = await readFile(store.path);
      await chmod(home, mode);
      for (const attempt of [
        () => openFileStore(passphraseOptions(home)),
        () => store.update(() => undefined),
        () => initFileStore(passphraseOptions(home)),
      ]) {
        const error = await vaultErrorOf(attempt);
        expect(error.code).toBe('INVALID_CONFIG');
        expect(error.message).toMatch(/writable by (every user|its group)/);
        expect(error.fix).toEqual({ action: 'manual', text: `chmod 700 "${home}"` });
      }
      expect((await readFile(store.path)).equals(before)).toBe(true);
      // Refused before the lock: not even the lock or its token was created in the shared directory.
      expect((await readdir(home)).sort()).toEqual(['vault.enc']);
      await chmod(home, 0o700);
      expect((await openFileStore(passphraseOptions(home))).path).toBe(store.path);
    });
  }

  it('a home owned by another user is refused', async () => {
    // As root, make a directory that belongs to someone else; otherwise use one that already does.
    let home = '/';
    if (isRoot) {
      home = await tempHome();
      await mkdir(home, { mode: 0o700 });
      await chown(home, 54321, 54321);
    }
    const error = await vaultErrorOf(openFileStore(passphraseOptions(home)));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/belongs to another user \(uid \d+\)/);
    expect(error.fix).toEqual({ action: 'manual', text: expect.stringContaining('VAULTLINK_HOME') });
  });
});
