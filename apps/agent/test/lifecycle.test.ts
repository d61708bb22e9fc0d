/**
 * The agent's life: racing starts, a stale socket after a crash, SIGKILL in the middle of 200
 * concurrent clients (each gets AGENT_UNAVAILABLE at once, none hangs) and a restart, the idle
 * lock, the key zeroed on lock, singleflight across clients, and a client meeting a newer agent.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ProviderIO } from '@vault/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentConnection, AgentNotRunning, startAgent, type AgentStatus } from '../dist/client.js';
import { runAgent } from '../dist/index.js';
import { createTestAgent, isAlive, unique, waitFor, type TestAgent } from './helpers/agent.js';
import { installGatedProvider } from './helpers/gated.js';

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.cleanup();
  agent = undefined;
});

const quietIO = (env: Record<string, string | undefined> = {}): ProviderIO => ({
  interactive: false,
  env,
  prompt: () => Promise.reject(new Error('no prompt in tests')),
  openBrowser: async () => undefined,
  info: () => undefined,
  warn: () => undefined,
  progress: () => undefined,
});

describe('starting', () => {
  it('of two racing starts one binds and the other reports the same running pid', async () => {
    agent = await createTestAgent({ start: false });
    const [a, b] = await Promise.all([
      startAgent({ paths: agent.paths, env: process.env }),
      startAgent({ paths: agent.paths, env: process.env }),
    ]);
    expect([a.started, b.started].sort()).toEqual([false, true]);
    expect(a.pid).toBe(b.pid);
    expect(isAlive(a.pid)).toBe(true);
  });

  it('a socket left by a killed agent is detected as stale and replaced by the next start', async () => {
    agent = await createTestAgent();
    const old = agent.pid;
    process.kill(old, 'SIGKILL');
    await waitFor('the agent to die', () => !isAlive(old));
    expect(existsSync(agent.paths.socket)).toBe(true);
    await expect(AgentConnection.open(agent.paths)).rejects.toBeInstanceOf(AgentNotRunning);
    const again = await startAgent({ paths: agent.paths, env: process.env });
    expect(again).toMatchObject({ started: true });
    expect(again.pid).not.toBe(old);
    const connection = await agent.connect();
    expect((await connection.request<AgentStatus>('status')).pid).toBe(again.pid);
    connection.close();
    agent.pid = again.pid;
  });
});

describe('the agent killed in the middle of 200 concurrent clients', () => {
  it('every open request fails at once with AGENT_UNAVAILABLE, nothing hangs, and a restart serves them all', async () => {
    const value = unique('kill-value');
    agent = await createTestAgent({ secrets: { k: value } });
    (await agent.unlocked()).close();
    const clients = await Promise.all(Array.from({ length: 200 }, () => agent!.connect()));
    let served = 0;
    const failures: unknown[] = [];
    // Each client asks until the agent is gone: whatever was answered before the kill, the
    // request after it must fail (and not hang), so every client ends with one failure.
    const loops = clients.map(async (client) => {
      for (;;) {
        try {
          expect(await client.request('get', ['k'])).toBe(value);
          served++;
        } catch (error) {
          failures.push(error);
          return;
        }
      }
    });
    await waitFor('the clients to be served', () => served >= 400);
    process.kill(agent.pid, 'SIGKILL');
    // A hang would never settle; the bound is far above what a closed socket takes to report.
    await Promise.race([
      Promise.all(loops),
      new Promise((_, reject) => setTimeout(() => reject(new Error('clients hang after the agent died')), 15_000)),
    ]);
    expect(failures.length).toBe(200);
    for (const failure of failures) {
      expect(failure).toMatchObject({ code: 'AGENT_UNAVAILABLE' });
      expect((failure as Error).message).toContain('closed the connection');
    }
    const restarted = await startAgent({ paths: agent.paths, env: process.env });
    expect(restarted.started).toBe(true);
    agent.pid = restarted.pid;
    (await agent.unlocked()).close();
    const again = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const c = await agent!.connect();
        try {
          return await c.request('get', ['k']);
        } finally {
          c.close();
        }
      }),
    );
    expect(new Set(again)).toEqual(new Set([value]));
  }, 90_000);
});

describe('locking', () => {
  it('locks itself after the idle time and then answers VAULT_LOCKED with details.agent', async () => {
    agent = await createTestAgent({ secrets: { k: 'v' }, idleLockMinutes: 0.05 });
    const connection = await agent.unlocked();
    expect(await connection.request('get', ['k'])).toBe('v');
    await waitFor('the idle lock', async () => (await connection.request<AgentStatus>('status')).locked, 30_000);
    await expect(connection.request('get', ['k'])).rejects.toMatchObject({ code: 'VAULT_LOCKED', details: { agent: true } });
    expect(readFileSync(agent.paths.log, 'utf8')).toContain('locked reason=idle');
    connection.close();
  });

  it('lock zeroes the data key buffers and drops the cache', async () => {
    agent = await createTestAgent({ secrets: { k: 'v' }, start: false });
    const running = await runAgent({ home: agent.home, env: { VAULTLINK_KEYCHAIN: 'off' }, log: { event: () => undefined } });
    if (!running.running) throw new Error('expected to run');
    try {
      await running.service.unlock({ passphrase: agent.passphrase });
      const unlocked = (running.service as unknown as { unlocked: { store: { dataKeys: Map<string, { dataKey: Buffer }> } } }).unlocked;
      const keys = [...unlocked.store.dataKeys.values()].map((k) => k.dataKey);
      expect(keys.length).toBe(1);
      expect(keys[0]!.some((byte) => byte !== 0)).toBe(true);
      expect(await running.service.lock('request')).toBe(true);
      expect(keys[0]!.every((byte) => byte === 0)).toBe(true);
      expect((await running.service.status()).locked).toBe(true);
    } finally {
      await running.stop();
    }
  });
});

describe('singleflight across clients', () => {
  it('100 clients asking for one linked secret while its read is open make exactly one upstream read (expiry 0)', async () => {
    agent = await createTestAgent({ start: false });
    const work = join(agent.root, 'work');
    installGatedProvider(work);
    const dir = join(agent.root, 'gate');
    mkdirSync(dir);
    const value = unique('gated-value');
    writeFileSync(join(dir, 'value'), value);
    agent.pid = (
      await startAgent({ paths: agent.paths, env: { ...process.env, VAULTLINK_KEYCHAIN: 'off', GATED_DIR: dir }, cwd: work })
    ).pid;
    const admin = await agent.unlocked();
    const ctx = { cwd: work, resolveFrom: [work] };
    await admin.request('connect', ['gated', {}], { ctx, io: quietIO() });
    await admin.request('link', ['g', 'gated', { path: 'one' }], { ctx });
    await admin.request('setCacheExpiryMinutes', [0], { ctx });
    const clients = await Promise.all(Array.from({ length: 100 }, () => agent!.connect()));
    const gets = clients.map((c) => c.request('get', ['g'], { ctx }));
    await waitFor('100 requests in the agent', async () => (await admin.request<AgentStatus>('status')).requestsInFlight === 100);
    writeFileSync(join(dir, 'open'), '');
    expect(new Set(await Promise.all(gets))).toEqual(new Set([value]));
    expect(readFileSync(join(dir, 'fetches'), 'utf8').trim().split('\n')).toHaveLength(1);
    const status = await admin.request<AgentStatus>('status');
    expect(status.upstreamReads).toBe(1);
    // With expiry 0 nothing stays cached: the next read goes upstream again.
    await admin.request('get', ['g'], { ctx });
    expect(readFileSync(join(dir, 'fetches'), 'utf8').trim().split('\n')).toHaveLength(2);
    for (const c of [...clients, admin]) c.close();
  }, 60_000);
});

describe('a client meeting an agent of another protocol version', () => {
  it('fails with AGENT_INCOMPATIBLE naming `vaultlink agent stop`', async () => {
    agent = await createTestAgent({ start: false });
    mkdirSync(agent.paths.dir, { mode: 0o700 });
    const server = createServer((socket) =>
      socket.on('data', () => socket.write(`${JSON.stringify({ v: 2, type: 'response', id: 1, ok: true, result: {} })}\n`)),
    );
    await new Promise<void>((resolve) => server.listen(agent!.paths.socket, resolve));
    const { chmodSync } = await import('node:fs');
    chmodSync(agent.paths.socket, 0o600);
    const connection = await AgentConnection.open(agent.paths);
    const error = await connection.request('status').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AGENT_INCOMPATIBLE', details: { agentProtocol: 2, clientProtocol: 1 } });
    expect(error).toMatchObject({ fix: { action: 'agent', command: 'restart' } });
    connection.close();
    await new Promise((resolve) => server.close(resolve));
  });
});
