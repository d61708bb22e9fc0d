import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initFileStore, openFileStore } from '../../src/store/index.js';
import { withVaultLock } from '../../src/store/lock.js';
import { localSecret, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

describe('encrypted vault file: write lock', () => {
  it('loses no update when many writers from two store instances race', async () => {
    const home = await tempHome();
    const a = await initFileStore(passphraseOptions(home));
    const b = await openFileStore(passphraseOptions(home));
    const names = Array.from({ length: 40 }, (_, i) => `S${i}`);
    await Promise.all(
      names.map((name, i) =>
        (i % 2 ? a : b).update((data) => {
          data.secrets[name] = localSecret(name, `v${i}`);
        }),
      ),
    );
    expect(Object.keys((await a.read()).secrets).sort()).toEqual([...names].sort());
    expect((await readdir(home)).sort()).toEqual(['vault.enc']);
  });

  it('takes over a lock left by a writer that died (stale lock directory)', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home, undefined, { lockStaleMs: 2000 }));
    const lockDir = join(home, 'vault.enc.lock');
    await mkdir(lockDir);
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockDir, longAgo, longAgo);
    await store.update((data) => {
      data.secrets.AFTER = localSecret('AFTER', 'x');
    });
    expect((await store.read()).secrets.AFTER).toBeDefined();
    expect(await readdir(home)).not.toContain('vault.enc.lock');
  });

  it('waits for a live lock instead of writing past it, and gives VAULT_LOCKED if it never frees', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home, undefined, { lockStaleMs: 2000 }));
    const lockDir = join(home, 'vault.enc.lock');
    await mkdir(lockDir);
    // Keep the lock fresh the way a live holder does, so it never turns stale.
    const keepFresh = setInterval(() => {
      const now = new Date();
      void utimes(lockDir, now, now);
    }, 200);
    try {
      const error = await vaultErrorOf(store.update((data) => void (data.secrets.NEVER = localSecret('NEVER', 'x'))));
      expect(error.code).toBe('VAULT_LOCKED');
      expect(JSON.stringify(error.fix)).toContain(lockDir);
    } finally {
      clearInterval(keepFresh);
    }
    expect((await store.read()).secrets.NEVER).toBeUndefined();
  });

  it('a writer whose lock was taken over while it stalled backs off instead of overwriting the newer write', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const ownerFile = join(home, 'vault.enc.lock-owner');
    const error = await vaultErrorOf(
      store.update(async (data) => {
        data.secrets.STALE = localSecret('STALE', 'x');
        // What a process that took over the stale lock does first: write its own owner token.
        await writeFile(ownerFile, 'other-process-token');
      }),
    );
    expect(error.code).toBe('VAULT_LOCKED');
    expect(error.message).toContain('nothing was written');
    expect((await store.read()).secrets.STALE).toBeUndefined();
    // The new holder's token is left alone.
    expect(await readFile(ownerFile, 'utf8')).toBe('other-process-token');
  });

  it('a take-over noticed only after the rename is reported as a failure, never as a finished write', async () => {
    const home = await tempHome();
    await initFileStore(passphraseOptions(home));
    const error = await vaultErrorOf(
      withVaultLock(home, join(home, 'vault.enc'), 2000, async (guard) => {
        await guard.assertHeld(false);
        await writeFile(join(home, 'vault.enc.lock-owner'), 'other-process-token');
        await guard.assertHeld(true);
      }),
    );
    expect(error.code).toBe('VAULT_LOCKED');
    expect(error.message).toContain('may have replaced this change');
  });
});
