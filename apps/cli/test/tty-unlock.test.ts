/**
 * A wrong passphrase typed at the prompt, on a real terminal (tmux): the fix asks to type it
 * again and never sends the person to VAULTLINK_PASSPHRASE, which they did not set. Both ways a
 * prompt opens the vault: `vaultlink unlock` handing the typed passphrase to the agent, and a
 * command without the agent. The typed passphrase never shows.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BIN, uniqueValue, useSandbox } from './helpers/sandbox.js';
import { openTerminal, type Terminal } from './helpers/tmux.js';

const sandbox = useSandbox();
const terminals: Terminal[] = [];
const wrong = uniqueValue('typed-wrong');

afterAll(async () => {
  for (const terminal of terminals) await terminal.close();
  await sandbox.run(['agent', 'stop']);
});

/** Runs `args` on a terminal without VAULTLINK_PASSPHRASE, types the wrong passphrase at the prompt, and returns the final screen. */
async function typeWrongPassphrase(label: string, args: string[], env: Record<string, string>): Promise<string> {
  const dir = join(sandbox.root, label);
  await mkdir(dir);
  const terminalEnv = { ...sandbox.env, ...env };
  delete terminalEnv.VAULTLINK_PASSPHRASE;
  const terminal = await openTerminal(dir, [process.execPath, CLI_BIN, ...args], terminalEnv, sandbox.cwd);
  terminals.push(terminal);
  await terminal.waitFor(/passphrase[^\n]*: *$/im, 60_000);
  await terminal.type(wrong);
  return terminal.waitFor(/^\[exit \d+\]$/m, 60_000);
}

function expectTypeAgainFix(screen: string): void {
  expect(screen).toContain('BAD_PASSPHRASE');
  expect(screen).toContain('[exit 3]');
  const fix = screen
    .split('\n')
    .filter((line) => /Fix:/.test(line))
    .join('\n');
  expect(fix).toContain('type the vault passphrase again');
  expect(fix).not.toContain('VAULTLINK_PASSPHRASE');
  expect(screen).not.toContain(wrong);
}

describe('a wrong passphrase typed at the prompt', () => {
  it('`vaultlink unlock` (the agent opens the vault): the fix asks to type it again', async () => {
    expectTypeAgainFix(await typeWrongPassphrase('agent', ['unlock'], { VAULTLINK_AGENT: 'on' }));
  }, 120_000);

  it('a command without the agent: the same fix', async () => {
    expectTypeAgainFix(await typeWrongPassphrase('in-process', ['get', 'anything'], { VAULTLINK_AGENT: 'off' }));
  }, 120_000);
});
