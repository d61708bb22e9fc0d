/**
 * The agent from packed tarballs installed with npm outside the workspace: `vaultlink agent
 * start` finds and spawns the installed daemon, commands use it (lean `get` path included),
 * `vaultlink ui` serves the page built into the installed @vault/agent, and it stops cleanly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, type PackedInstall } from '../../../tools/packed/packed-install.mjs';
import { launchChromium } from './helpers/chromium.js';
import { uniqueValue } from './helpers/sandbox.js';

let installed: PackedInstall;
let home: string;
const value = uniqueValue('packed-value');

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    VAULTLINK_HOME: home,
    VAULTLINK_PASSPHRASE: 'packed-test-passphrase',
    VAULTLINK_KEYCHAIN: 'off',
    ...extra,
  };
}

/** Runs the installed `vaultlink`; a non-zero exit fails with its output. */
async function vaultlink(args: string[], extra: Record<string, string> = {}, input?: string): Promise<{ stdout: string; stderr: string }> {
  const result = await installed.exec('vaultlink', args, { env: env(extra), ...(input === undefined ? {} : { input }) });
  if (result.code !== 0) throw new Error(`vaultlink ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

beforeAll(async () => {
  // vaultlink with the workspace packages it depends on (@vault/core, @vault/agent, @vault/runner).
  installed = await installPacked(['vaultlink']);
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
  }, 120_000);

  it('vaultlink ui serves the page shipped inside the installed @vault/agent (no build at install), and Chromium shows the vault', async () => {
    const { stderr } = await vaultlink(['ui', '--no-browser']);
    const url = /^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/m.exec(stderr)?.[0];
    expect(url, stderr).toBeDefined();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      expect((await page.goto(url!))!.status()).toBe(200);
      await page.locator('tr[data-secret="k"]').waitFor();
      expect(await page.locator('tr[data-secret="k"]').textContent()).toContain('••••••••');
      expect(await page.content()).not.toContain(value);
    } finally {
      await browser.close();
    }
    expect((await vaultlink(['agent', 'stop'])).stderr).toContain('Stopped the vaultlink agent');
  }, 120_000);
});
