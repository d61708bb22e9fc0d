/**
 * The built CLI with the agent (memory provider, so no peer): one agent's cache shared by
 * separate command processes, counted by the agent's upstream reads; cache reset and expiry
 * applied at once; relink, disable, remove and disconnect dropping entries; agent-less writes
 * noticed; lock/unlock; VAULTLINK_KEY; `run` through the agent; and a leak grep of every
 * output, the agent log and VAULTLINK_HOME.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks, ok } from './helpers/leaks.js';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from './helpers/sandbox.js';

const values = {
  a: uniqueValue('agent-a'),
  a2: uniqueValue('agent-a2'),
  b: uniqueValue('agent-b'),
  local: uniqueValue('agent-local'),
  local2: uniqueValue('agent-local2'),
};
const documents = () => ({
  'team/a': { versions: [values.a] },
  'team/b': { versions: [values.b] },
});

let sandbox: Sandbox;
const on = { VAULTLINK_AGENT: 'on' };
const off = { VAULTLINK_AGENT: 'off' };

interface Status {
  locked: boolean;
  upstreamReads: number;
  cache: { expiryMinutes: number | null; entries: Array<{ names: string[]; provider: string; ageSeconds: number }> };
  providers: Array<{ provider: string }>;
}

async function status(): Promise<Status> {
  return JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'], { env: on })).stdout) as Status;
}

async function get(name: string, env: Record<string, string | undefined> = on): Promise<string> {
  return ok(await sandbox.run(['get', name], { env })).stdout;
}

beforeAll(async () => {
  sandbox = await createSandbox({ documents: documents() });
  ok(await sandbox.run(['set', 'local', '--stdin'], { input: values.local, env: off }));
  ok(await sandbox.run(['connect', 'memory'], { env: off }));
  ok(await sandbox.run(['link', 'a', '--provider', 'memory', '--path', 'team/a'], { env: off }));
  ok(await sandbox.run(['link', 'b', '--provider', 'memory', '--path', 'team/b'], { env: off }));
});

afterAll(async () => {
  await sandbox.run(['agent', 'stop']);
  await sandbox.cleanup();
});

describe('vaultlink with the agent', () => {
  it('without VAULTLINK_AGENT=on and without a terminal, no agent is started (scripts and CI)', async () => {
    expect(await get('local', {})).toBe(values.local);
    const result = await sandbox.run(['--json', 'agent', 'status']);
    expect(result.code).toBe(5);
    expect(jsonError(result)).toMatchObject({ code: 'AGENT_UNAVAILABLE', fix: 'vaultlink agent start' });
  });

  it('VAULTLINK_AGENT=on starts the agent, which unlocks with VAULTLINK_PASSPHRASE and serves the command', async () => {
    const first = await sandbox.run(['get', 'local'], { env: on });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(values.local);
    expect(first.stderr).toContain('Started the vaultlink agent');
    expect((await status()).locked).toBe(false);
  });

  it('a linked value fetched by one command is served to the next ones (get, resolve) without an upstream read', async () => {
    const before = (await status()).upstreamReads;
    expect(await get('a')).toBe(values.a);
    expect(await get('a')).toBe(values.a);
    const resolved = ok(await sandbox.run(['resolve'], { input: 'x={{vault:a}}', env: on }));
    expect(resolved.stdout).toBe(`x=${values.a}`);
    const after = await status();
    expect(after.upstreamReads - before).toBe(1);
    expect(after.cache.entries).toEqual([expect.objectContaining({ names: ['a'], provider: 'memory' })]);
  });

  it('a command without the agent (--no-agent) reads upstream itself and leaves the agent cache as it is', async () => {
    const before = (await status()).upstreamReads;
    expect(ok(await sandbox.run(['get', 'a', '--no-agent'], { env: on })).stdout).toBe(values.a);
    const noAgent = await sandbox.run(['cache', 'reset', '--no-agent'], { env: on });
    expect(noAgent.stderr).toContain('no vaultlink agent serves this vault');
    expect((await status()).upstreamReads).toBe(before);
    expect((await status()).cache.entries).toHaveLength(1);
  });

  it('cache reset NAME and cache reset apply to the agent at once: the next get reads upstream once more', async () => {
    const before = (await status()).upstreamReads;
    const reset = ok(await sandbox.run(['cache', 'reset', 'a'], { env: on }));
    expect(reset.stderr).not.toContain('no vaultlink agent');
    expect((await status()).cache.entries).toEqual([]);
    await get('a');
    await get('a');
    expect((await status()).upstreamReads - before).toBe(1);
    ok(await sandbox.run(['cache', 'reset'], { env: on }));
    await get('a');
    expect((await status()).upstreamReads - before).toBe(2);
  });

  it('config set expiry 0 disables the agent cache at once; every get reads; a new expiry caches again', async () => {
    ok(await sandbox.run(['config', 'set', 'expiry', '0'], { env: on }));
    const before = (await status()).upstreamReads;
    await get('a');
    await get('a');
    await get('a');
    expect((await status()).upstreamReads - before).toBe(3);
    expect((await status()).cache.entries).toEqual([]);
    ok(await sandbox.run(['config', 'set', 'expiry', '60'], { env: on }));
    await get('a');
    await get('a');
    expect((await status()).upstreamReads - before).toBe(4);
  });

  it('writes by agent-less commands are noticed: a changed local value, a relink, a disable and a remove', async () => {
    await get('b');
    expect((await status()).cache.entries.map((e) => e.names[0]).sort()).toEqual(['a', 'b']);
    ok(await sandbox.run(['set', 'local', '--stdin'], { input: values.local2, env: off }));
    expect(await get('local')).toBe(values.local2);
    // Relinked elsewhere by another process: the old value is dropped, the new link read.
    ok(await sandbox.run(['link', 'a', '--provider', 'memory', '--path', 'team/b'], { env: off }));
    expect(await get('a')).toBe(values.b);
    ok(await sandbox.run(['disable', 'b'], { env: off }));
    const disabled = await sandbox.run(['--json', 'get', 'b'], { env: on });
    expect(disabled.code).toBe(4);
    expect(jsonError(disabled).details).toMatchObject({ reason: 'disabled' });
    ok(await sandbox.run(['enable', 'b'], { env: off }));
    ok(await sandbox.run(['link', 'a', '--provider', 'memory', '--path', 'team/a'], { env: off }));
    await get('a');
    ok(await sandbox.run(['rm', 'a'], { env: off }));
    ok(await sandbox.run(['link', 'a', '--provider', 'memory', '--path', 'team/a'], { env: on }));
    expect((await status()).cache.entries.every((e) => !e.names.includes('a'))).toBe(true);
  });

  it('relink, disable and remove through the agent drop the entries at once', async () => {
    await get('a');
    await get('b');
    ok(await sandbox.run(['disable', 'b'], { env: on }));
    expect((await status()).cache.entries.map((e) => e.names).flat()).toEqual(['a']);
    ok(await sandbox.run(['enable', 'b'], { env: on }));
    ok(await sandbox.run(['link', 'a', '--provider', 'memory', '--path', 'team/a', '--version', '1'], { env: on }));
    expect((await status()).cache.entries).toEqual([]);
    await get('a');
    ok(await sandbox.run(['rm', 'a'], { env: on }));
    expect((await status()).cache.entries).toEqual([]);
    ok(await sandbox.run(['link', 'a', '--provider', 'memory', '--path', 'team/a'], { env: on }));
  });

  it('run resolves through the agent cache, masks the value, and status never shows a value', async () => {
    const received: string[] = [];
    const server: Server = createServer((request, response) => {
      received.push(String(request.headers['x-token'] ?? ''));
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      ok(await sandbox.run(['domains', 'a', 'http://127.0.0.1'], { env: on }));
      await get('a');
      const before = (await status()).upstreamReads;
      const collection = join(sandbox.cwd, 'collection.json');
      await writeFile(
        collection,
        JSON.stringify({
          info: { name: 'agent-run', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
          item: [
            {
              name: 'call',
              request: { method: 'GET', url: `http://127.0.0.1:${port}/x`, header: [{ key: 'X-Token', value: '{{vault:a}}' }] },
            },
          ],
        }),
      );
      for (let i = 0; i < 2; i++) {
        const result = await sandbox.run(['run', collection, '--color', 'off'], { env: on });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout + result.stderr).not.toContain(values.a);
      }
      expect(received).toEqual([values.a, values.a]);
      expect((await status()).upstreamReads).toBe(before);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const shown = ok(await sandbox.run(['agent', 'status'], { env: on })).stdout;
    expect(shown).toContain('a');
    for (const value of Object.values(values)) expect(shown).not.toContain(value);
  });

  it("disconnect makes references unresolved in every client and drops the provider's entries", async () => {
    await get('b');
    ok(await sandbox.run(['disconnect', 'memory'], { env: on }));
    expect((await status()).cache.entries).toEqual([]);
    for (const env of [on, off]) {
      const result = await sandbox.run(['--json', 'resolve'], { input: '{{vault:b}}', env });
      expect(result.code).toBe(4);
      expect(jsonError(result).details).toMatchObject({ unresolved: [expect.objectContaining({ name: 'b', reason: 'disconnected' })] });
    }
    ok(await sandbox.run(['connect', 'memory'], { env: on }));
    expect(await get('b')).toBe(values.b);
  });

  it('lock drops the key; without a key source the next command is VAULT_LOCKED naming `vaultlink unlock`; unlock opens it again', async () => {
    ok(await sandbox.run(['lock'], { env: on }));
    expect((await status()).locked).toBe(true);
    const locked = await sandbox.run(['--json', 'get', 'local'], { env: { ...on, VAULTLINK_PASSPHRASE: undefined } });
    expect(locked.code).toBe(3);
    expect(jsonError(locked)).toMatchObject({ code: 'VAULT_LOCKED', details: { agent: true } });
    expect(jsonError(locked).fix).toContain('vaultlink unlock');
    const bad = await sandbox.run(['--json', 'unlock'], { env: { ...on, VAULTLINK_PASSPHRASE: 'not-the-passphrase' } });
    expect(bad.code).toBe(3);
    expect(jsonError(bad).code).toBe('BAD_PASSPHRASE');
    expect(jsonError(bad).fix).toContain('check VAULTLINK_PASSPHRASE');
    expect(bad.stderr).not.toContain('not-the-passphrase');
    ok(await sandbox.run(['unlock'], { env: on }));
    expect(await get('local', { ...on, VAULTLINK_PASSPHRASE: undefined })).toBe(values.local2);
  });

  it('VAULTLINK_KEY (from `key export`) opens the vault without the passphrase, in-process and for the agent', async () => {
    const exported = ok(await sandbox.run(['key', 'export'], { env: off })).stdout;
    expect(exported).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const keyEnv = { VAULTLINK_PASSPHRASE: undefined, VAULTLINK_KEY: exported };
    expect(await get('local', { ...off, ...keyEnv })).toBe(values.local2);
    ok(await sandbox.run(['lock'], { env: on }));
    expect(await get('local', { ...on, ...keyEnv })).toBe(values.local2);
    const wrong = await sandbox.run(['--json', 'get', 'local'], {
      env: { ...off, VAULTLINK_PASSPHRASE: undefined, VAULTLINK_KEY: Buffer.alloc(32, 7).toString('base64') },
    });
    expect(wrong.code).toBe(3);
    expect(jsonError(wrong)).toMatchObject({ code: 'BAD_PASSPHRASE', message: expect.stringContaining('VAULTLINK_KEY does not open') });
    const malformed = await sandbox.run(['--json', 'get', 'local'], {
      env: { ...off, VAULTLINK_PASSPHRASE: undefined, VAULTLINK_KEY: 'short' },
    });
    expect(malformed.code).toBe(2);
    expect(jsonError(malformed).issues?.[0]).toMatchObject({ field: 'VAULTLINK_KEY' });
  });

  it('agent start says so when one runs already; agent stop stops it; a stopped agent leaves no socket', async () => {
    const again = ok(await sandbox.run(['agent', 'start'], { env: on }));
    expect(again.stderr).toContain('already running');
    const log = await readFile(join(sandbox.home, 'agent', 'agent.log'), 'utf8');
    expect(log).toContain('unlocked source=');
    ok(await sandbox.run(['agent', 'stop'], { env: on }));
    expect((await sandbox.run(['agent', 'status'])).code).toBe(5);
    await expect(readFile(join(sandbox.home, 'agent', 'agent.sock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('the agent SIGKILLed while get processes run: each exits 0 or 5 with AGENT_UNAVAILABLE, none hangs, and the next command starts a new agent', async () => {
    ok(await sandbox.run(['agent', 'start'], { env: on }));
    const pid = (JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'], { env: on })).stdout) as { pid: number }).pid;
    const runs = Array.from({ length: 30 }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 15)).then(() => sandbox.run(['get', 'local', '--json'], { env: on })),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    process.kill(pid, 'SIGKILL');
    const results = await Promise.all(runs);
    for (const result of results) {
      expect([0, 5], result.stderr).toContain(result.code);
      if (result.code === 5) expect(jsonError(result).code).toBe('AGENT_UNAVAILABLE');
      else expect(JSON.parse(result.stdout)).toEqual({ name: 'local', value: values.local2 });
    }
    const after = JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'], { env: on })).stdout) as { pid: number };
    expect(after.pid).not.toBe(pid);
  }, 60_000);

  it('no value in any output but get/resolve stdout, in the agent log, or in VAULTLINK_HOME', async () => {
    const log = await readFile(join(sandbox.home, 'agent', 'agent.log'), 'utf8');
    for (const value of [...Object.values(values), sandbox.passphrase]) expect(log).not.toContain(value);
    await expectNoLeaks(sandbox, [...Object.values(values), sandbox.passphrase]);
  });
});
