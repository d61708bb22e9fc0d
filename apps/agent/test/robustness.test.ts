/**
 * A client that sends garbage, an oversized message, a slow trickle or the wrong protocol
 * version gets one error answer and is disconnected; the agent keeps serving everyone else
 * meanwhile and does not buffer past its limit.
 */
import { createConnection, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentConnection, MAX_REQUEST_BYTES } from '../dist/client.js';
import { MESSAGE_DEADLINE_MS } from '../dist/index.js';
import { createTestAgent, isAlive, unique, type TestAgent } from './helpers/agent.js';

const value = unique('robust-value');
let agent: TestAgent;
let good: AgentConnection;

beforeAll(async () => {
  agent = await createTestAgent({ secrets: { k: value } });
  good = await agent.unlocked();
});
afterAll(async () => {
  good?.close();
  await agent?.cleanup();
});

interface RawResult {
  lines: Array<Record<string, unknown>>;
  closed: boolean;
  bytesWritten: number;
}

/** A raw socket that sends `chunks` (with optional pauses) and collects what comes back until it closes. */
function raw(send: (socket: Socket) => Promise<void> | void, waitMs = 5_000): Promise<RawResult> {
  return new Promise((resolve) => {
    const socket = createConnection(agent.paths.socket);
    let text = '';
    let closed = false;
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    const timer = setTimeout(finish, waitMs);
    function finish(): void {
      clearTimeout(timer);
      socket.destroy();
      resolve({
        lines: text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
        closed,
        bytesWritten: socket.bytesWritten,
      });
    }
    socket.on('connect', () => void send(socket));
  });
}

async function stillServes(): Promise<void> {
  expect(await good.request('get', ['k'])).toBe(value);
}

describe('bad clients', () => {
  it('garbage gets an INVALID_INPUT answer and the connection is closed; others are served', async () => {
    const result = await raw((s) => void s.write('\x00\x01 not json at all\n'));
    expect(result.closed).toBe(true);
    expect(result.lines[0]).toMatchObject({ type: 'response', ok: false, error: { code: 'INVALID_INPUT' } });
    await stillServes();
  });

  it(`a message over ${MAX_REQUEST_BYTES} bytes is cut off at the limit, not buffered`, async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const result = await raw(async (s) => {
      for (let sent = 0; sent < 4 * MAX_REQUEST_BYTES && !s.destroyed; sent += chunk.length) {
        if (!s.write(chunk)) await new Promise((r) => s.once('drain', r).once('close', r));
      }
    }, 20_000);
    expect(result.closed).toBe(true);
    expect(result.lines[0]).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining(`${MAX_REQUEST_BYTES} bytes`) },
    });
    await stillServes();
    expect(isAlive(agent.pid)).toBe(true);
  });

  it(
    'a slow trickle is dropped after the message deadline while other clients are served at once',
    async () => {
      const trickle = raw(async (s) => {
        const text = JSON.stringify({ v: 1, type: 'request', id: 1, op: 'status' });
        for (const char of text) {
          if (s.destroyed) return;
          s.write(char);
          await new Promise((r) => setTimeout(r, 500));
        }
      }, MESSAGE_DEADLINE_MS + 10_000);
      // While the trickle is still sending, another client gets its answers.
      for (let i = 0; i < 5; i++) await stillServes();
      const result = await trickle;
      expect(result.closed).toBe(true);
      expect(result.lines[0]).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining(`within ${MESSAGE_DEADLINE_MS / 1000} s`) },
      });
    },
    MESSAGE_DEADLINE_MS + 30_000,
  );

  it('an unknown operation is INVALID_INPUT naming the operations there are; the connection stays usable', async () => {
    const error = await good.request('dropTables').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('no operation "dropTables"') });
    await stillServes();
  });

  it('wrong argument types are INVALID_INPUT, not a crash', async () => {
    await expect(good.request('get', [{ not: 'a name' }])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(good.request('resolveNames', ['k'])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await stillServes();
  });
});

describe('protocol versions', () => {
  it('an older (or newer) client gets AGENT_INCOMPATIBLE naming `vaultlink agent stop`, and is disconnected', async () => {
    const result = await raw((s) => void s.write(`${JSON.stringify({ v: 0, type: 'request', id: 7, op: 'get', args: ['k'] })}\n`));
    expect(result.closed).toBe(true);
    expect(result.lines[0]).toMatchObject({
      v: 1,
      id: 7,
      ok: false,
      error: { code: 'AGENT_INCOMPATIBLE', details: { agentProtocol: 1, clientProtocol: 0 } },
    });
    // Free text: a client of another version may not know this version's fix actions.
    expect(result.lines[0]!.error).toMatchObject({ fix: { action: 'manual', text: expect.stringContaining('vaultlink agent stop') } });
    expect(JSON.stringify(result.lines)).not.toContain(value);
    await stillServes();
  });
});
