/**
 * Sign-in through the agent: the provider runs in the agent, and its ProviderIO traffic (info,
 * openBrowser, a secret prompt, warn) travels to the client that asked, whose answers come back;
 * the provider sees the client's environment and interactivity. A client that cannot answer
 * makes the sign-in fail with the client's own error code.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderIO } from '@vault/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../dist/client.js';
import { createTestAgent, type TestAgent } from './helpers/agent.js';
import { installGatedProvider } from './helpers/gated.js';

let agent: TestAgent;
let work: string;

beforeAll(async () => {
  agent = await createTestAgent({ start: false });
  work = join(agent.root, 'work');
  installGatedProvider(work);
  mkdirSync(join(agent.root, 'gate'));
  agent.pid = (
    await startAgent({
      paths: agent.paths,
      env: { ...process.env, VAULTLINK_KEYCHAIN: 'off', GATED_DIR: join(agent.root, 'gate') },
      cwd: work,
    })
  ).pid;
});
afterAll(async () => {
  await agent?.cleanup();
});

function recordingIO(answer: string | Error, interactive = true): ProviderIO & { calls: string[] } {
  const calls: string[] = [];
  return {
    interactive,
    env: { GATED_CLIENT_MARK: 'from-the-client', VAULTLINK_PASSPHRASE: 'must-not-travel' },
    calls,
    async prompt(question, options) {
      calls.push(`prompt ${question} secret=${options?.secret === true}`);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async openBrowser(url) {
      calls.push(`browser ${url}`);
    },
    info: (m) => void calls.push(`info ${m}`),
    warn: (m) => void calls.push(`warn ${m}`),
    progress: (m) => void calls.push(`progress ${m}`),
  };
}

describe('ProviderIO through the agent', () => {
  it('prompts and the browser run in the client, in order; the answer reaches the provider; the passphrase never travels', async () => {
    const connection = await agent.unlocked();
    const io = recordingIO('4711');
    const info = await connection.request<{ principal: string }>('connect', ['gated', { ask: true }], {
      io,
      ctx: { cwd: work, resolveFrom: [work] },
    });
    expect(info.principal).toBe('tester-4711');
    expect(io.calls).toEqual([
      'info Signing in to the gated test vault',
      'browser http://127.0.0.1:1/authorize?state=gated',
      'prompt Code shown in the browser secret=true',
      'warn interactive=true home=from-the-client passphrase=absent',
    ]);
    // VaultApi.disconnect's SignOutOutcome comes back through the agent as the provider said it.
    const outcome = await connection.request('disconnect', ['gated', {}], { io, ctx: { cwd: work, resolveFrom: [work] } });
    expect(outcome).toEqual({ revoked: false, note: 'gated tokens belong to you; revoke them in the gated console' });
    connection.close();
  });

  it("a client that cannot answer makes the sign-in fail with the client's error code, and nothing is stored", async () => {
    const { VaultError } = await import('@vault/core');
    const connection = await agent.unlocked();
    const fix = { action: 'connect', provider: 'gated', flags: { code: 'CODE' }, hint: 'no terminal to ask on' } as const;
    const io = recordingIO(
      new VaultError('INVALID_INPUT', 'no terminal to ask on', {
        fix,
        issues: [{ field: 'code', problem: 'is missing', expected: 'the code shown in the browser' }],
      }),
      false,
    );
    const error = await connection
      .request('connect', ['gated', { ask: true }], { io, ctx: { cwd: work, resolveFrom: [work] } })
      .catch((e: unknown) => e);
    // The client's error went to the agent and back as data: the structured fix and the issues survive.
    expect(error).toBeInstanceOf(VaultError);
    expect((error as InstanceType<typeof VaultError>).toJSON()).toMatchObject({ code: 'INVALID_INPUT', fix, issues: [{ field: 'code' }] });
    expect(await connection.request('integrations')).toEqual([]);
    connection.close();
  });
});
