/**
 * A wrong passphrase given to the agent gets a fix that fits where the passphrase came from:
 * typed (in the page, or at the CLI's prompt) asks to type it again; VAULTLINK_PASSPHRASE of the
 * client names the variable. The wrong passphrase itself is never echoed, nor logged.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConnection } from '../dist/client.js';
import { createTestAgent, unique, type TestAgent } from './helpers/agent.js';
import { raw, session, uiLink } from './helpers/ui-http.js';

let agent: TestAgent;
let connection: AgentConnection;
let port: number;
const wrong = unique('not-the-passphrase');

beforeAll(async () => {
  agent = await createTestAgent({ secrets: { k1: unique('unlock-fix-value') } });
  connection = await agent.unlocked();
  port = (await uiLink(connection)).port;
});

afterAll(async () => {
  connection?.close();
  await agent?.cleanup();
});

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected the unlock to fail'),
    (error: unknown) => error as { code: string; fix?: unknown },
  );

describe('a wrong passphrase given to the agent', () => {
  it('typed in the page: 403 BAD_PASSPHRASE whose fix says to type it again and names no variable; the right one unlocks', async () => {
    const s = await session(port, (await uiLink(connection)).token);
    const post = (path: string, body: unknown) =>
      raw(port, { method: 'POST', path, cookie: s.cookie, origin: s.origin, csrf: s.csrf, body: JSON.stringify(body) });
    expect((await post('/api/lock', {})).status).toBe(200);
    const refused = await post('/api/unlock', { passphrase: wrong });
    expect(refused.status).toBe(403);
    const { error } = JSON.parse(refused.body) as { error: { code: string; fix: unknown } };
    expect(error.code).toBe('BAD_PASSPHRASE');
    expect(error.fix).toEqual({ action: 'retry', hint: expect.stringContaining('type the vault passphrase again') });
    expect(refused.body).not.toContain('VAULTLINK_PASSPHRASE');
    expect(refused.body).not.toContain(wrong);
    expect((await post('/api/unlock', { passphrase: agent.passphrase })).status).toBe(200);
  });

  it('over the socket: from VAULTLINK_PASSPHRASE the fix names the variable; typed, or unsaid, it asks to type it again', async () => {
    await connection.request('lock', []);
    const fromEnv = await errorOf(connection.request('unlock', [{ passphrase: wrong, passphraseFrom: 'env' }]));
    expect(fromEnv).toMatchObject({
      code: 'BAD_PASSPHRASE',
      fix: { action: 'manual', text: expect.stringContaining('check VAULTLINK_PASSPHRASE') },
    });
    for (const input of [{ passphrase: wrong, passphraseFrom: 'prompt' }, { passphrase: wrong }]) {
      const typed = await errorOf(connection.request('unlock', [input]));
      expect(typed.code).toBe('BAD_PASSPHRASE');
      expect(JSON.stringify(typed.fix)).not.toContain('VAULTLINK_PASSPHRASE');
      expect(JSON.stringify(typed.fix)).toContain('type the vault passphrase again');
    }
    await connection.request('unlock', [{ passphrase: agent.passphrase, passphraseFrom: 'prompt' }]);
    expect(readFileSync(agent.paths.log, 'utf8')).toContain('unlock-failed');
    expect(readFileSync(agent.paths.log, 'utf8')).not.toContain(wrong);
  });
});
