/**
 * Errors and team bindings through the agent, with the built CLI: an error the agent raises
 * crosses the socket as data (VaultError.toJSON / fromJSON), so its `Fix:` line, its exit code
 * and its `--json` form (`fix` text and `fixAction` data) are exactly those of the same command
 * run in-process. The agent checks a member's team binding against the team config of the
 * folder the command runs in (not the folder the agent was started from), and a team-level
 * disconnect (the team config loses the provider) reaches a member through the agent.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from './helpers/leaks.js';
import { createSandbox, jsonError, type RunResult, type Sandbox } from './helpers/sandbox.js';

let sandbox: Sandbox;
/** Members find the team config from their working directory, as in a repository. */
const member = { VAULTLINK_TEAM_CONFIG: undefined };
const on = { ...member, VAULTLINK_AGENT: 'on' };
const off = { ...member, VAULTLINK_AGENT: 'off' };
const teamFile = (): string => join(sandbox.cwd, '.vaultlink', 'team.json');

async function status(): Promise<{ upstreamReads: number; cache: { entries: Array<{ provider: string; names: string[] }> } }> {
  return JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'], { env: on })).stdout);
}

/** The same command with and without the agent: what a person or a script sees must not differ. */
async function both(args: string[], input?: string): Promise<{ agent: RunResult; inProcess: RunResult }> {
  const agent = await sandbox.run(args, { env: on, ...(input !== undefined ? { input } : {}) });
  const inProcess = await sandbox.run(args, { env: off, ...(input !== undefined ? { input } : {}) });
  return { agent, inProcess };
}

beforeAll(async () => {
  sandbox = await createSandbox();
  ok(await sandbox.run(['setup', 'fixture', '--org', 'acme'], { env: off }));
  ok(await sandbox.run(['connect', 'fixture', '--token-stdin', '--user', 'ann'], { env: off, input: 'member-token' }));
  ok(await sandbox.run(['link', 'fx', '--provider', 'fixture', '--item', 'one', '--strict'], { env: off }));
  ok(await sandbox.run(['set', 'off', '--stdin'], { env: off, input: 'x' }));
  ok(await sandbox.run(['disable', 'off'], { env: off }));
  // Started from another folder (no team config there): requests must bring their own.
  ok(await sandbox.run(['agent', 'start'], { env: on, cwd: sandbox.root }));
});

afterAll(async () => {
  await sandbox.run(['agent', 'stop']);
  await sandbox.cleanup();
});

describe('errors through the agent are the in-process errors', () => {
  it.each([
    ['an unknown secret (NOT_FOUND)', ['get', 'nosuch'], true],
    ['a disabled secret (SECRET_DISABLED, fix: enable)', ['get', 'off'], true],
    ['an unresolved reference (UNRESOLVED with details)', ['resolve'], true, 'a={{vault:nosuch}}'],
    ['a link the provider refuses (INVALID_LINK with issues, raised in the agent)', ['link', 'bad', '--provider', 'fixture'], false],
  ] as Array<[string, string[], boolean, string?]>)(
    '%s: same message, Fix line, exit code and --json fix/fixAction',
    async (_what, args, hasFix, input) => {
      const text = await both(args, input);
      expect(text.inProcess.code).not.toBe(0);
      expect(text.agent.code).toBe(text.inProcess.code);
      expect(text.agent.stderr).toBe(text.inProcess.stderr);
      if (hasFix) expect(text.agent.stderr).toMatch(/^Fix: \S/m);

      const json = await both(['--json', ...args], input);
      expect(json.agent.code).toBe(json.inProcess.code);
      const [agentError, ownError] = [jsonError(json.agent), jsonError(json.inProcess)];
      expect(agentError).toEqual(ownError);
      if (hasFix) {
        expect(ownError).toHaveProperty('fixAction.action');
        expect(typeof ownError.fix).toBe('string');
      } else {
        expect(ownError.issues?.length).toBeGreaterThan(0);
      }
    },
  );
});

describe('team bindings through the agent', () => {
  it("a member's team integration is checked against the team config of the command's folder", async () => {
    const served = await sandbox.run(['get', 'fx'], { env: on });
    expect(served.code, served.stderr).toBe(0);
    expect(served.stdout).toBe('fixture-one-value');
    expect((await status()).cache.entries).toEqual([expect.objectContaining({ provider: 'fixture', names: ['fx'] })]);
  });

  it('a team-level disconnect (the team config loses the provider) reaches the member through the agent, drops the cache, and reads as in-process', async () => {
    await mkdir(join(sandbox.cwd, '.vaultlink'), { recursive: true });
    await writeFile(teamFile(), JSON.stringify({ version: 1, integrations: {} }));
    const { agent, inProcess } = await both(['--json', 'get', 'fx']);
    expect(agent.stdout).toBe('');
    expect(agent.code).toBe(inProcess.code);
    expect(jsonError(agent)).toEqual(jsonError(inProcess));
    expect(jsonError(agent)).toMatchObject({ code: 'UNRESOLVED', fixAction: { action: 'disconnect', provider: 'fixture' } });
    expect(jsonError(agent)).toMatchObject({
      details: { name: 'fx', reason: 'disconnected' },
      message: expect.stringContaining("team's fixture integration was removed"),
    });
    expect((await status()).cache.entries).toEqual([]);
    const listed = JSON.parse(ok(await sandbox.run(['integrations', '--json'], { env: on })).stdout) as Array<{
      provider: string;
      disconnected?: { message: string };
    }>;
    expect(listed).toEqual([
      expect.objectContaining({
        provider: 'fixture',
        disconnected: expect.objectContaining({ message: expect.stringContaining('removed') }),
      }),
    ]);
  });
});

describe('a rolled-back vault file under the agent', () => {
  it('is noticed by the running agent: the command that meets it prints the warning (lean get path and full CLI), and serves the file as it is now', async () => {
    const vaultFile = join(sandbox.home, 'vault.enc');
    const [older, old] = [join(sandbox.root, 'vault.enc.older'), join(sandbox.root, 'vault.enc.old')];
    ok(await sandbox.run(['set', 'token', '--stdin'], { env: on, input: 'first' }));
    await copyFile(vaultFile, older);
    ok(await sandbox.run(['set', 'token', '--stdin'], { env: on, input: 'second' }));
    await copyFile(vaultFile, old);
    ok(await sandbox.run(['set', 'token', '--stdin'], { env: on, input: 'third' }));
    const quiet = ok(await sandbox.run(['get', 'token'], { env: on }));
    expect([quiet.stdout, quiet.stderr]).toEqual(['third', '']);

    await copyFile(old, vaultFile);
    const lean = ok(await sandbox.run(['get', 'token'], { env: on }));
    expect(lean.stdout).toBe('second');
    expect(lean.stderr).toMatch(
      /^warning: The vault file .*vault\.enc is an older copy: its generation is \d+, but generation \d+ was already written \(seen by this process\)/,
    );

    await copyFile(older, vaultFile); // an even older copy: the next command is told too
    const full = ok(await sandbox.run(['--json', 'list'], { env: on }));
    expect(full.stderr).toMatch(/^warning: The vault file .* is an older copy/m);
    expect(JSON.parse(full.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'token' })]));
    expect(ok(await sandbox.run(['get', 'token'], { env: on })).stdout).toBe('first');
  });
});
