/**
 * Store warnings reach the web UI: a rolled-back vault file met by any client's request (a CLI
 * command over the socket, or the page itself) is listed in the page's `/api/state`, numbered,
 * once, with both generations, and never with a value.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UiState } from '../src/http/wire.js';
import { createTestAgent, unique, type TestAgent } from './helpers/agent.js';
import { raw, session, uiLink } from './helpers/ui-http.js';

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.cleanup();
  agent = undefined;
});

describe('store warnings in the web UI', () => {
  it('a rollback met by a socket client, then one met by the page, are both listed in /api/state, once each', async () => {
    const first = unique('first');
    agent = await createTestAgent({ secrets: { token: first } });
    const connection = await agent.unlocked();
    const ctx = { cwd: agent.root, resolveFrom: [] };
    const link = await uiLink(connection, {}, agent.root);
    const page = await session(link.port, link.token);
    const state = async (): Promise<UiState> =>
      JSON.parse((await raw(link.port, { path: '/api/state', cookie: page.cookie })).body) as UiState;
    const vaultFile = join(agent.home, 'vault.enc');
    const backup = join(agent.root, 'vault.enc.backup');
    expect((await state()).warnings).toEqual([]);

    // A CLI command meets the first rollback.
    copyFileSync(vaultFile, backup);
    const secondValue = unique('second');
    await connection.request('setLocal', ['token', secondValue, undefined], { ctx });
    copyFileSync(backup, vaultFile);
    await connection.request('list', [], { ctx });
    const afterCli = (await state()).warnings;
    expect(afterCli).toEqual([
      expect.objectContaining({ seq: 1, code: 'VAULT_ROLLBACK', expected: expect.any(Number), generation: expect.any(Number) }),
    ]);
    expect(afterCli[0]!.expected).toBeGreaterThan(afterCli[0]!.generation!);
    expect(afterCli[0]!.message).toContain('older copy');
    expect(Date.parse(afterCli[0]!.at)).not.toBeNaN();

    // The page's own request meets the second one (an older copy of another generation: the store
    // tells each rolled-back generation once); the first is not told again.
    const write = async (): Promise<void> => {
      const written = await raw(link.port, {
        method: 'PUT',
        path: '/api/secrets/token/value',
        ...page,
        body: JSON.stringify({ value: unique('third') }),
      });
      expect(written.status).toBe(200);
    };
    await write();
    copyFileSync(vaultFile, backup);
    await write();
    copyFileSync(backup, vaultFile);
    expect((await raw(link.port, { path: '/api/secrets', cookie: page.cookie })).status).toBe(200);
    const afterPage = (await state()).warnings;
    expect(afterPage.map((w) => [w.seq, w.code])).toEqual([
      [1, 'VAULT_ROLLBACK'],
      [2, 'VAULT_ROLLBACK'],
    ]);
    expect(JSON.stringify(afterPage)).not.toContain(first);
    expect(JSON.stringify(afterPage)).not.toContain(secondValue);
    connection.close();
  });
});
