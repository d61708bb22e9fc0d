/**
 * The CLI over an unsafe or odd vault home (issue 12 items 2, 5, 15; issue 11 item 5's `init`):
 * planted links, shared directories, a home that is a file, HOME="", empty and whitespace-only
 * passphrases, a second init, and the passphrase leaving the process environment after unlock.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { CLI_BIN, createSandbox, jsonError, uniqueValue, useSandbox } from './helpers/sandbox.js';

describe('vaultlink over an unsafe vault home', () => {
  const sandbox = useSandbox();

  it('a planted vault.enc.lock-owner link does not make `set` write into its target', async () => {
    const victim = join(sandbox.root, 'victim.txt');
    await writeFile(victim, 'root-owned content\n');
    await symlink(victim, join(sandbox.home, 'vault.enc.lock-owner'));
    const result = await sandbox.run(['set', 'a', '--stdin'], { input: 'value' });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(victim, 'utf8')).toBe('root-owned content\n');
    await rm(join(sandbox.home, 'vault.enc.lock-owner'), { force: true });
  });

  it('a world-writable home is refused with INVALID_CONFIG (exit 2) and the chmod fix, and nothing changes', async () => {
    const before = await readFile(join(sandbox.home, 'vault.enc'));
    await chmod(sandbox.home, 0o777);
    try {
      const result = await sandbox.run(['--json', 'set', 'b', '--stdin'], { input: 'value' });
      expect(result.code).toBe(2);
      expect(jsonError(result)).toMatchObject({ code: 'INVALID_CONFIG', fix: `chmod 700 "${sandbox.home}"` });
      expect((await readFile(join(sandbox.home, 'vault.enc'))).equals(before)).toBe(true);
    } finally {
      await chmod(sandbox.home, 0o700);
    }
  });

  it('a vault.enc that is a link is refused, naming the link, and its target is untouched', async () => {
    const other = await createSandbox();
    try {
      const target = join(other.home, 'vault.enc');
      const before = await readFile(target);
      const home = join(sandbox.root, 'linked-home');
      await mkdir(home, { mode: 0o700 });
      await symlink(target, join(home, 'vault.enc'));
      const result = await sandbox.run(['set', 'c', '--stdin'], { input: 'value', env: { VAULTLINK_HOME: home } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('[INVALID_CONFIG]');
      expect(result.stderr).toContain(`is a symbolic link (to ${target})`);
      expect(result.stderr).toMatch(/\nFix: replace the link with the file/);
      expect((await readFile(target)).equals(before)).toBe(true);
    } finally {
      await other.cleanup();
    }
  });
});

describe('vaultlink with a home that is not a directory, or no home at all', () => {
  const sandbox = useSandbox({ initVault: false });

  it('VAULTLINK_HOME pointing at a file: INVALID_CONFIG naming the variable, not INTERNAL or "disk space"', async () => {
    const file = join(sandbox.root, 'a-file');
    await writeFile(file, 'x');
    for (const args of [['init'], ['list']]) {
      const result = await sandbox.run(args, { env: { VAULTLINK_HOME: file } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`[INVALID_CONFIG] The vault home ${file} (from VAULTLINK_HOME) is a file, not a directory`);
      expect(result.stderr).not.toMatch(/INTERNAL|disk space/);
      expect(result.stderr).toMatch(/\nFix: set VAULTLINK_HOME to a directory/);
    }
  });

  it('VAULTLINK_KEYCHAIN=bogus: INVALID_CONFIG with a Fix line', async () => {
    const result = await sandbox.run(['list'], { env: { VAULTLINK_KEYCHAIN: 'bogus' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[INVALID_CONFIG] VAULTLINK_KEYCHAIN has an unknown value.');
    expect(result.stderr).toMatch(/\nFix: set VAULTLINK_KEYCHAIN=auto or VAULTLINK_KEYCHAIN=off/);
  });

  it('vault.enc being a directory: INVALID_CONFIG saying so', async () => {
    const home = join(sandbox.root, 'dir-home');
    await mkdir(join(home, 'vault.enc'), { recursive: true, mode: 0o700 });
    await chmod(home, 0o700);
    const result = await sandbox.run(['list'], { env: { VAULTLINK_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(home, 'vault.enc')} is a directory, not a vault file`);
    expect(result.stderr).not.toMatch(/INTERNAL|disk space/);
  });

  it('HOME="" without VAULTLINK_HOME: INVALID_CONFIG, and no vault is created under the current directory', async () => {
    const cwd = join(sandbox.root, 'cwd-for-empty-home');
    await mkdir(cwd);
    const result = await sandbox.run(['init'], { cwd, env: { HOME: '', VAULTLINK_HOME: undefined, XDG_DATA_HOME: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[INVALID_CONFIG]');
    expect(result.stderr).toContain('HOME) is empty');
    expect(existsSync(join(cwd, '.local'))).toBe(false);
  });
});

describe('vaultlink init: passphrases and messages', () => {
  const sandbox = useSandbox({ initVault: false });

  it('an empty VAULTLINK_PASSPHRASE does not claim that a vault exists', async () => {
    const result = await sandbox.run(['init'], { env: { VAULTLINK_PASSPHRASE: '' } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('needs a new passphrase');
    expect(result.stderr).toContain('VAULTLINK_PASSPHRASE is empty');
    expect(result.stderr).not.toMatch(/is protected by a passphrase/);
    expect(existsSync(join(sandbox.home, 'vault.enc'))).toBe(false);
  });

  it('a whitespace-only passphrase is refused (exit 2) and no vault is created', async () => {
    const result = await sandbox.run(['--json', 'init'], { env: { VAULTLINK_PASSPHRASE: '   ' } });
    expect(result.code).toBe(2);
    expect(jsonError(result)).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: 'VAULTLINK_PASSPHRASE' })],
    });
    expect(jsonError(result).fix).toBeTruthy();
    expect(existsSync(join(sandbox.home, 'vault.enc'))).toBe(false);
  });

  it('a second init says the vault exists and was left unchanged, and never that it was created', async () => {
    expect((await sandbox.run(['init'])).code).toBe(0);
    const again = await sandbox.run(['init']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('already exists');
    expect(again.stderr).toContain('left unchanged');
    expect(again.stderr).not.toMatch(/Created/);
    const json = await sandbox.run(['--json', 'init']);
    expect(JSON.parse(json.stdout)).toMatchObject({ created: false });
  });

  it.runIf(process.platform === 'linux')('names why the OS keychain is not used once, without repeating itself', async () => {
    const home = join(sandbox.root, 'keychain-home');
    // No D-Bus session: the Secret Service cannot be reached, as on a server.
    const result = await sandbox.run(['init'], {
      env: { VAULTLINK_HOME: home, VAULTLINK_KEYCHAIN: undefined, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/vaultlink-test-bus' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Using a passphrase for the vault key: /);
    expect(result.stderr.match(/not usable here/g) ?? []).toHaveLength(1);
    expect(result.stderr).not.toMatch(/not usable here \(the OS keychain/);
    expect(result.stderr).toContain('Created the local vault');
  });
});

describe('VAULTLINK_PASSPHRASE leaves the CLI process environment after unlock', () => {
  it.runIf(process.platform === 'linux')(
    '/proc/PID/environ of a running command no longer holds it',
    async () => {
      const sandbox = await createSandbox();
      try {
        // Hold the write lock, so `set` unlocks the vault and then waits for the lock.
        const lockDir = join(sandbox.home, 'vault.enc.lock');
        await mkdir(lockDir);
        const keepFresh = setInterval(() => void utimes(lockDir, new Date(), new Date()).catch(() => undefined), 500);
        const value = uniqueValue('env-check');
        const child = spawn(process.execPath, [CLI_BIN, 'set', 'waiting', value], {
          env: sandbox.env,
          cwd: sandbox.cwd,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const exited = new Promise<number>((resolveExit) => child.on('close', (code) => resolveExit(code ?? -1)));
        let cleared = false;
        try {
          for (let i = 0; i < 200 && !cleared; i += 1) {
            const environ = await readFile(`/proc/${child.pid}/environ`, 'latin1').catch(() => '');
            cleared = environ.includes('VAULTLINK_HOME=') && !environ.includes(sandbox.passphrase);
            if (!cleared) await new Promise((r) => setTimeout(r, 100));
          }
        } finally {
          clearInterval(keepFresh);
          await rm(lockDir, { recursive: true, force: true });
        }
        expect(cleared, 'the passphrase was still in the environment of the unlocked process').toBe(true);
        expect(await exited).toBe(0);
        expect((await sandbox.run(['get', 'waiting'])).stdout).toBe(value);
      } finally {
        await sandbox.cleanup();
      }
    },
    60_000,
  );
});
