import { randomBytes } from 'node:crypto';
import { chmod, copyFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initFileStore, openFileStore, type StoreWarning } from '../../src/store/index.js';
import { localSecret, passphraseOptions, tempHome, vaultErrorOf } from './helpers.js';
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
          session: {
            provider: 'memory',
            organization: 'o',
            principal: 'p',
            expiresAt: null,
            createdAt: 'now',
            data: { token: sessionToken },
          },
          connectedAt: 'now',
        };
      });
    }
    await store.changePassphrase(newPassphrase);
    const reopened = await openFileStore(passphraseOptions(home, newPassphrase));
    expect((await reopened.read()).secrets[secretName]?.secret).toEqual({ kind: 'local', value: `${secretValue}-4` });

    // Hardening paths: a planted lock-owner link (its target is in the scanned temp dir), a rolled-back
    // file and its warning, a write refused in a world-writable home, and a refused blank passphrase.
    const victim = join(dirname(home), 'victim-of-a-planted-link.txt');
    await writeFile(victim, 'untouched');
    await symlink(victim, join(home, 'vault.enc.lock-owner'));
    await copyFile(reopened.path, `${reopened.path}.old`);
    await reopened.update((data) => {
      data.secrets[secretName] = localSecret(secretName, `${secretValue}-after-link`);
    });
    await copyFile(`${reopened.path}.old`, reopened.path);
    const warnings: StoreWarning[] = [];
    const rolledBack = await openFileStore(
      passphraseOptions(home, newPassphrase, { minGeneration: reopened.highWaterMark, onWarning: (w) => warnings.push(w) }),
    );
    await rolledBack.read();
    expect(warnings.map((w) => w.code)).toEqual(['VAULT_ROLLBACK']);
    await chmod(home, 0o777);
    const refused = await vaultErrorOf(
      rolledBack.update((data) => void (data.secrets[secretName] = localSecret(secretName, `${secretValue}-refused`))),
    );
    await chmod(home, 0o700);
    const blank = await vaultErrorOf(rolledBack.changePassphrase('   '));
    const messages = [...warnings.map((w) => w.message), refused.message, blank.message].join('\n');

    const needles = [secretValue, sessionToken, secretName, passphrase, newPassphrase];
    expect(needles.filter((needle) => messages.includes(needle))).toEqual([]);
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
