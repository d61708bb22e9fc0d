/**
 * `vaultlink ui` as a command: it starts the agent when none runs and prints a one-time URL
 * (stderr, or `--json`); a second call reuses the server with a new token; it says what is
 * wrong without a vault or with the agent turned off; a locked agent still gets its link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from './helpers/leaks.js';
import { createSandbox, jsonError, type Sandbox } from './helpers/sandbox.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox();
});

afterAll(async () => {
  await sandbox?.run(['agent', 'stop']);
  await sandbox?.cleanup();
});

async function signInStatus(url: string): Promise<number> {
  return (await fetch(url, { redirect: 'manual' })).status;
}

describe('vaultlink ui', () => {
  it('starts the agent, unlocks it with VAULTLINK_PASSPHRASE, and prints a one-time URL on stderr with --no-browser', async () => {
    const result = ok(await sandbox.run(['ui', '--no-browser']));
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Started the vaultlink agent');
    const url = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]{43}$/m.exec(result.stderr);
    expect(url, result.stderr).not.toBeNull();
    expect(result.stderr).toContain('The link works once');
    expect(await signInStatus(url![0])).toBe(303);
    expect(await signInStatus(url![0])).toBe(401);
    const status = JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'])).stdout) as { locked: boolean };
    expect(status.locked).toBe(false);
  });

  it('--json: the same server, a new token; without a passphrase a locked agent still gets its link', async () => {
    const first = JSON.parse(ok(await sandbox.run(['ui', '--no-browser', '--json'])).stdout) as {
      url: string;
      port: number;
      expiresAt: string;
    };
    ok(await sandbox.run(['lock']));
    const second = JSON.parse(
      ok(await sandbox.run(['ui', '--no-browser', '--json'], { env: { VAULTLINK_PASSPHRASE: undefined } })).stdout,
    ) as { url: string; port: number };
    expect(second.port).toBe(first.port);
    expect(second.url).not.toBe(first.url);
    expect(Date.parse(first.expiresAt) - Date.now()).toBeGreaterThan(5 * 60_000);
    expect(await signInStatus(second.url)).toBe(303);
    expect((JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'])).stdout) as { locked: boolean }).locked).toBe(true);
  });

  it('refuses --no-agent and VAULTLINK_AGENT=off, and names `vaultlink init` without a vault', async () => {
    for (const run of [sandbox.run(['--json', 'ui', '--no-agent']), sandbox.run(['--json', 'ui'], { env: { VAULTLINK_AGENT: 'off' } })]) {
      const refused = await run;
      expect(refused.code).toBe(2);
      expect(jsonError(refused).fix).toContain('VAULTLINK_AGENT');
    }
    const empty = await createSandbox({ initVault: false });
    try {
      const missing = await empty.run(['--json', 'ui', '--no-browser']);
      expect(missing.code).toBe(4);
      expect(jsonError(missing)).toMatchObject({ code: 'VAULT_NOT_INITIALIZED', fix: expect.stringContaining('vaultlink init') });
    } finally {
      await empty.cleanup();
    }
  });
});
