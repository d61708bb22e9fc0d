/**
 * When a command may start the agent (issue 14, "commands start it only where a person is"):
 * the decision itself for every mode, CI value and terminal, and the built CLI on a real
 * terminal (tmux): outside CI `VAULTLINK_AGENT=auto` starts an agent, with `CI=true` it does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentMode, mayStartAgent } from '../src/agent-mode.js';
import { ok } from './helpers/leaks.js';
import { CLI_BIN, createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';
import { openTerminal } from './helpers/tmux.js';

describe('mayStartAgent', () => {
  const CI_SET = [{ CI: 'true' }, { CI: '1' }, { CI: 'yes' }];
  const CI_UNSET = [{}, { CI: '' }, { CI: '0' }, { CI: 'false' }];

  it('auto (the default) starts one only on a terminal outside CI', () => {
    const auto = agentMode({}, false);
    expect(auto).toBe('auto');
    for (const env of CI_UNSET) {
      expect(mayStartAgent(auto, env, true), JSON.stringify(env)).toBe(true);
      expect(mayStartAgent(auto, env, false), JSON.stringify(env)).toBe(false);
    }
    for (const env of CI_SET) expect(mayStartAgent(auto, env, true), JSON.stringify(env)).toBe(false);
  });

  it('under CI only VAULTLINK_AGENT=on starts one; off never does, on a terminal or not', () => {
    for (const env of CI_SET) {
      expect(mayStartAgent(agentMode({ ...env, VAULTLINK_AGENT: 'on' }, false), env, false)).toBe(true);
      expect(mayStartAgent(agentMode({ ...env, VAULTLINK_AGENT: 'auto' }, false), env, false)).toBe(false);
    }
    for (const env of [...CI_SET, ...CI_UNSET]) {
      for (const interactive of [true, false]) {
        expect(mayStartAgent(agentMode({ ...env, VAULTLINK_AGENT: 'off' }, false), env, interactive)).toBe(false);
        // --no-agent wins over VAULTLINK_AGENT=on
        expect(mayStartAgent(agentMode({ ...env, VAULTLINK_AGENT: 'on' }, true), env, interactive)).toBe(false);
      }
    }
  });

  it('an unknown VAULTLINK_AGENT is INVALID_CONFIG naming the variable and the values it takes', () => {
    expect(() => agentMode({ VAULTLINK_AGENT: 'sometimes' }, false)).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        issues: [expect.objectContaining({ field: 'VAULTLINK_AGENT', expected: 'auto (default), on or off' })],
      }),
    );
  });
});

describe('auto-start on a real terminal (tmux)', () => {
  let sandbox: Sandbox;
  const value = uniqueValue('autostart-local');

  beforeAll(async () => {
    sandbox = await createSandbox();
    ok(await sandbox.run(['set', 'local', '--stdin'], { input: value, env: { VAULTLINK_AGENT: 'off' } }));
  });
  afterAll(async () => {
    await sandbox.run(['agent', 'stop']);
    await sandbox.cleanup();
  });

  /** Runs `vaultlink get local` on a terminal with VAULTLINK_AGENT unset (auto); true when an agent runs afterwards. */
  async function agentAfterTerminalGet(extraEnv: Record<string, string>): Promise<boolean> {
    const terminal = await openTerminal(
      sandbox.root,
      [process.execPath, CLI_BIN, 'get', 'local'],
      { ...sandbox.env, ...extraEnv },
      sandbox.cwd,
    );
    try {
      const screen = await terminal.waitFor(/^\[exit \d+\]$/m, 60_000);
      expect(screen).toMatch(/^\[exit 0\]$/m);
    } finally {
      await terminal.close();
    }
    const status = await sandbox.run(['--json', 'agent', 'status']);
    expect([0, 5], status.stderr).toContain(status.code);
    return status.code === 0;
  }

  it('with CI=true a terminal command starts no agent; outside CI the same command starts one', async () => {
    expect(await agentAfterTerminalGet({ CI: 'true' })).toBe(false);
    expect(await agentAfterTerminalGet({})).toBe(true);
    const status = JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'])).stdout) as { pid: number; locked: boolean };
    expect(status.locked).toBe(false); // it unlocked with VAULTLINK_PASSPHRASE for the command that started it
    expect(status.pid).toBeGreaterThan(0);
  });
});
