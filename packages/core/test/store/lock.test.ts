import { mkdir, readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initFileStore, openFileStore } from '../../src/store/index.js';
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
      expect(error.fix).toContain(lockDir);
    } finally {
      clearInterval(keepFresh);
    }
    expect((await store.read()).secrets.NEVER).toBeUndefined();
  });
});
