/**
 * VAULTLINK_PASSPHRASE leaves the environment once the store has read it: a child process spawned
 * after unlock (a collection's script, a provider's CLI) does not inherit it, and on Linux
 * /proc/self/environ no longer shows it. The check runs the real store in a fresh `node` process,
 * whose own environment holds the passphrase, as a CLI's does.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFileStore, openFileStore } from '../../src/store/index.js';
import { buildStoreBundle, type StoreBundle } from './bundle.js';
import { FAST_KDF, PASSPHRASE, tempHome, vaultErrorOf } from './helpers.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'unlock-then-spawn.mjs');
let bundle: StoreBundle | undefined;

beforeAll(async () => {
  bundle = await buildStoreBundle('env-store');
}, 60_000);

afterAll(async () => {
  await bundle?.remove();
});

function runUnlocker(home: string, passphrase: string): Promise<Record<string, unknown>> {
  return new Promise((resolveRun, reject) => {
    const env = { ...process.env, VAULTLINK_PASSPHRASE: passphrase, VAULTLINK_KEYCHAIN: 'off', KEEP_ME: 'kept' };
    const child = spawn(process.execPath, [script, bundle!.path, home], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the unlocking process exited ${code}: ${stderr.replaceAll(passphrase, '<passphrase>')}`));
      else resolveRun(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

describe('VAULTLINK_PASSPHRASE is cleared from the environment once used', () => {
  it('a child process spawned after unlock does not get it, and /proc/self/environ no longer shows it', async () => {
    const home = await tempHome();
    const passphrase = `${PASSPHRASE} ${Date.now()}`;
    await initFileStore({ home, env: { VAULTLINK_PASSPHRASE: passphrase }, keychain: 'off', kdf: FAST_KDF });
    const seen = await runUnlocker(home, passphrase);
    expect(seen).toEqual({
      hadPassphrase: true,
      secondStoreOpened: true,
      inProcessEnv: false,
      procSelfEnviron: process.platform === 'linux' ? false : null,
      procSelfEnvironHasName: process.platform === 'linux' ? false : null,
      childEnv: false,
      childProcEnviron: false,
      otherVariableKept: true,
    });
  }, 30_000);

  it('leaves process.env, keeps it in memory for later stores over process.env, and never changes a caller-built environment object', async () => {
    const home = await tempHome();
    const passphrase = `${PASSPHRASE} in-process ${Date.now()}`;
    await initFileStore({ home, env: { VAULTLINK_PASSPHRASE: passphrase }, keychain: 'off', kdf: FAST_KDF });
    const saved = process.env.VAULTLINK_PASSPHRASE;
    try {
      // A copy of the process environment (what the runner passes) holding the same value.
      process.env.VAULTLINK_PASSPHRASE = passphrase;
      const copy: Record<string, string | undefined> = { ...process.env };
      await openFileStore({ home, env: copy, keychain: 'off' });
      expect(process.env.VAULTLINK_PASSPHRASE).toBeUndefined();
      expect(copy.VAULTLINK_PASSPHRASE).toBe(passphrase);

      // Reading process.env itself: later stores over process.env still open, from memory.
      process.env.VAULTLINK_PASSPHRASE = passphrase;
      await openFileStore({ home, env: process.env, keychain: 'off' });
      expect(process.env.VAULTLINK_PASSPHRASE).toBeUndefined();
      expect((await (await openFileStore({ home, env: process.env, keychain: 'off' })).read()).version).toBe(1);
      // Another environment object never had it.
      expect((await vaultErrorOf(openFileStore({ home, env: {} }))).code).toBe('VAULT_LOCKED');
    } finally {
      if (saved === undefined) delete process.env.VAULTLINK_PASSPHRASE;
      else process.env.VAULTLINK_PASSPHRASE = saved;
    }
  });
});
