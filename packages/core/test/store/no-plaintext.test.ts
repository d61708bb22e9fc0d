import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initFileStore, openFileStore } from '../../src/store/index.js';
import { localSecret, passphraseOptions, tempHome } from './helpers.js';
import { scanForNeedles } from './scan.js';

describe('encrypted vault file: nothing in plaintext on disk', () => {
  it('secret values, session tokens, names of secrets and the passphrase appear in no file of the home or the OS temp dir', async () => {
    const started = Date.now() - 1000; // mtime granularity
    const marker = randomBytes(8).toString('hex');
    const secretValue = `sv-${marker}-local-secret`;
    const sessionToken = `st-${marker}-session-token`;
    const secretName = `NAME_${marker.toUpperCase()}`;
    const passphrase = `pp-${marker}-passphrase`;
    const newPassphrase = `pp2-${marker}-passphrase`;
    const home = await tempHome();

    const store = await initFileStore(passphraseOptions(home, passphrase));
    for (let i = 0; i < 5; i += 1) {
      await store.update((data) => {
        data.secrets[secretName] = localSecret(secretName, `${secretValue}-${i}`, ['api.example.com']);
        data.integrations.memory = {
          provider: 'memory',
          connectOptions: {},
          session: { provider: 'memory', organization: 'o', principal: 'p', expiresAt: null, createdAt: 'now', data: { token: sessionToken } },
          connectedAt: 'now',
        };
      });
    }
    await store.changePassphrase(newPassphrase);
    const reopened = await openFileStore(passphraseOptions(home, newPassphrase));
    expect((await reopened.read()).secrets[secretName]?.secret).toEqual({ kind: 'local', value: `${secretValue}-4` });

    const needles = [secretValue, sessionToken, secretName, passphrase, newPassphrase];
    const roots = [home, tmpdir()];
    const scan = await scanForNeedles(roots, needles, started);
    expect(scan.hits).toEqual([]);
    expect(scan.filesScanned).toBeGreaterThan(0);

    // The scanner itself must be able to see a plaintext leak, or the check above proves nothing.
    const control = join(dirname(home), 'control-leak.txt');
    await writeFile(control, `xx ${secretValue} xx`);
    const controlScan = await scanForNeedles(roots, needles, started);
    expect(controlScan.hits).toEqual([{ file: control, needle: 0 }]);
  }, 60_000);
});
