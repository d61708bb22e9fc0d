/**
 * `vaultlink agent start --foreground`: the agent runs in the command's own process, logs to
 * its stderr (no value), serves other commands, and stops on SIGTERM, removing its socket.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ok } from './helpers/leaks.js';
import { CLI_BIN, createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';

let sandbox: Sandbox;
const value = uniqueValue('foreground');

beforeAll(async () => {
  sandbox = await createSandbox();
  ok(await sandbox.run(['set', 'k', '--stdin'], { input: value, env: { VAULTLINK_AGENT: 'off' } }));
});
afterAll(async () => {
  await sandbox.cleanup();
});

it('serves while in the foreground, logs without values, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [CLI_BIN, 'agent', 'start', '--foreground', '--idle-lock', '5'], {
    cwd: sandbox.cwd,
    env: sandbox.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('unlocked source=passphrase')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the foreground agent exited (${code}): ${stderr}`)));
  });
  expect(stderr).toContain('listens on');
  expect(ok(await sandbox.run(['get', 'k'], { env: { VAULTLINK_PASSPHRASE: undefined } })).stdout).toBe(value);
  const status = JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'])).stdout) as { pid: number; idleLockMinutes: number };
  expect(status).toMatchObject({ pid: child.pid, idleLockMinutes: 5 });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stderr).toContain('stopped reason=signal');
  expect(stderr).not.toContain(value);
  expect(stderr).not.toContain(sandbox.passphrase);
  expect(existsSync(join(sandbox.home, 'agent', 'agent.sock'))).toBe(false);
});
