import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyVaultData } from '../../src/model.js';
import { writeFileAtomic } from '../../src/store/atomic-write.js';
import { layoutOf } from '../../src/store/format.js';
import { initFileStore, openFileStore, vaultExists } from '../../src/store/index.js';
import { localSecret, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('encrypted vault file: round trip', () => {
  it('stores secrets, links, settings and integrations, and a second process-like open reads them back', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    expect(store.path).toBe(join(home, 'vault.enc'));
    expect(store.keyProtection).toBe('passphrase');
    expect(await store.read()).toEqual(emptyVaultData());

    await store.update((data) => {
      data.secrets.API_KEY = localSecret('API_KEY', 'k-123', ['*.example.com']);
      data.secrets.DB = {
        ...localSecret('DB', 'unused'),
        secret: { kind: 'linked', provider: 'memory', link: { path: 'db/creds', key: 'password' } },
      };
      data.settings.cacheExpiryMinutes = 5;
      data.integrations.memory = {
        provider: 'memory',
        connectOptions: { region: 'test' },
        session: {
          provider: 'memory',
          organization: 'org',
          principal: 'ada',
          expiresAt: null,
          createdAt: '2026-01-01T00:00:00.000Z',
          data: { token: 't' },
        },
        connectedAt: '2026-01-01T00:00:00.000Z',
      };
    });

    const reopened = await openFileStore(passphraseOptions(home));
    const data = await reopened.read();
    expect(data.secrets.API_KEY?.secret).toEqual({ kind: 'local', value: 'k-123' });
    expect(data.secrets.API_KEY?.allowedDomains).toEqual(['*.example.com']);
    expect(data.secrets.DB?.secret).toEqual({ kind: 'linked', provider: 'memory', link: { path: 'db/creds', key: 'password' } });
    expect(data.settings.cacheExpiryMinutes).toBe(5);
    expect(data.integrations.memory?.session.data).toEqual({ token: 't' });
  });

  it('returns what the mutator returns, and the mutator sees writes made through another store instance', async () => {
    const home = await tempHome();
    const first = await initFileStore(passphraseOptions(home));
    const second = await openFileStore(passphraseOptions(home));
    await first.update((data) => {
      data.secrets.A = localSecret('A', 'a');
    });
    const seen = await second.update((data) => {
      data.secrets.B = localSecret('B', 'b');
      return Object.keys(data.secrets).sort();
    });
    expect(seen).toEqual(['A', 'B']);
    expect(Object.keys((await first.read()).secrets).sort()).toEqual(['A', 'B']);
  });

  it('writes nothing when the mutator throws', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    await store.update((data) => {
      data.secrets.KEEP = localSecret('KEEP', 'v1');
    });
    const before = await readFile(store.path);
    await expect(
      store.update((data) => {
        data.secrets.KEEP = localSecret('KEEP', 'v2');
        throw new Error('user cancelled');
      }),
    ).rejects.toThrow('user cancelled');
    expect((await readFile(store.path)).equals(before)).toBe(true);
    expect((await store.read()).secrets.KEEP?.secret).toEqual({ kind: 'local', value: 'v1' });
  });

  it('refuses to write data that would not open again', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const before = await readFile(store.path);
    const error = await vaultErrorOf(
      store.update((data) => {
        (data.settings as { cacheExpiryMinutes: unknown }).cacheExpiryMinutes = 'soon';
      }),
    );
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('settings.cacheExpiryMinutes');
    expect((await readFile(store.path)).equals(before)).toBe(true);
  });

  it('encrypts every write under a fresh nonce: the same data written twice gives different bytes', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const write = (value: string) =>
      store.update((data) => {
        data.secrets.X = { ...localSecret('X', value), createdAt: 'fixed', updatedAt: 'fixed' };
      });
    await write('same');
    const first = await readFile(store.path);
    await write('other');
    await write('same');
    const third = await readFile(store.path);
    expect(third.length).toBe(first.length);
    const body = (bytes: Buffer) => bytes.subarray(...layoutOf(bytes).body);
    expect(body(third).equals(body(first))).toBe(false);
    expect((await store.read()).secrets.X?.secret).toEqual({ kind: 'local', value: 'same' });
  });

  it('creates the home 0700 and the vault 0600, even with a permissive umask', async () => {
    const home = await tempHome();
    const previous = process.umask(0);
    try {
      const store = await initFileStore(passphraseOptions(home));
      await store.update((data) => {
        data.secrets.A = localSecret('A', 'a');
      });
      expect(await mode(home)).toBe(0o700);
      expect(await mode(store.path)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('writes its temp file with mode 0600 and leaves none behind', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const tempModes: number[] = [];
    const target = join(home, 'probe.enc');
    await writeFileAtomic(target, Buffer.from('ciphertext'), {
      beforeRename: async (tempPath) => {
        tempModes.push(await mode(tempPath));
      },
    });
    expect(tempModes).toEqual([0o600]);
    expect(await mode(target)).toBe(0o600);
    await store.update((data) => {
      data.secrets.A = localSecret('A', 'a');
    });
    expect((await readdir(home)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('removes temp files left by a writer that died before its rename', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    const orphan = join(home, 'vault.enc.4242.deadbeef0000.tmp');
    await writeFile(orphan, 'half-written ciphertext', { mode: 0o600 });
    await store.update((data) => {
      data.secrets.A = localSecret('A', 'a');
    });
    expect(await readdir(home)).not.toContain('vault.enc.4242.deadbeef0000.tmp');
  });

  it('init on an existing vault opens it instead of replacing it', async () => {
    const home = await tempHome();
    const store = await initFileStore(passphraseOptions(home));
    await store.update((data) => {
      data.secrets.A = localSecret('A', 'a');
    });
    const before = await readFile(store.path);
    const again = await initFileStore(passphraseOptions(home));
    expect((await again.read()).secrets.A).toBeDefined();
    expect((await readFile(store.path)).equals(before)).toBe(true);
  });

  it('reports VAULT_NOT_INITIALIZED with the init command when there is no vault', async () => {
    const home = await tempHome();
    expect(await vaultExists({ home })).toBe(false);
    const error = await vaultErrorOf(openFileStore(passphraseOptions(home)));
    expect(error.code).toBe('VAULT_NOT_INITIALIZED');
    expect(JSON.stringify(error.fix)).toContain('vaultlink init');
    expect(error.message).toContain(join(home, 'vault.enc'));
  });
});
