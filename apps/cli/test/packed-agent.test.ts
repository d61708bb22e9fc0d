/**
 * The agent from packed tarballs installed with npm outside the workspace: `vaultlink agent
 * start` finds and spawns the installed daemon, commands use it (lean `get` path included),
 * and it stops cleanly.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstall, type Installed } from './helpers/pack-install.js';
import { uniqueValue } from './helpers/sandbox.js';

const run = promisify(execFile);
let installed: Installed;
let home: string;
const value = uniqueValue('packed-value');

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', VAULTLINK_HOME: home, VAULTLINK_PASSPHRASE: 'packed-test-passphrase', VAULTLINK_KEYCHAIN: 'off', ...extra };
}

async function vaultlink(args: string[], extra: Record<string, string> = {}, input?: string): Promise<{ stdout: string; stderr: string }> {
  const child = run(process.execPath, [installed.bin('vaultlink'), ...args], { cwd: installed.dir, env: env(extra) });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  } else child.child.stdin?.end();
  return child;
}

beforeAll(async () => {
  installed = await packAndInstall(['@vault/core', '@vault/agent', '@vault/runner', 'vaultlink']);
  home = join(await mkdtemp(join(tmpdir(), 'vaultlink-packed-home-')), 'home');
}, 300_000);

afterAll(async () => {
  await vaultlink(['agent', 'stop']).catch(() => undefined);
  await installed?.cleanup();
  if (home) await rm(join(home, '..'), { recursive: true, force: true });
});

describe('the agent installed from tarballs with npm', () => {
  it('starts from the installed package, serves get (lean path) and status, and stops', async () => {
    await vaultlink(['init']);
    await vaultlink(['set', 'k', '--stdin'], {}, value);
    const started = await vaultlink(['agent', 'start']);
    expect(started.stderr).toContain('Started the vaultlink agent');
    expect((await vaultlink(['get', 'k'], { VAULTLINK_AGENT: 'on' })).stdout).toBe(value);
    const status = JSON.parse((await vaultlink(['agent', 'status', '--json'])).stdout) as { locked: boolean; home: string };
    expect(status).toMatchObject({ locked: false, home });
    expect((await vaultlink(['agent', 'stop'])).stderr).toContain('Stopped the vaultlink agent');
  }, 120_000);
});
