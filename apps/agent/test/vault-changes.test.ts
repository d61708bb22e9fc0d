/**
 * The agent and the vault file under it: it notices writes by the store's generation, never
 * serves what a write replaced, and a rolled-back file (an older copy put back) is reported as
 * VAULT_ROLLBACK to the agent's log and to the client whose request met it, also across a lock
 * (the agent's high-water mark becomes the store's minGeneration when it unlocks again).
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Vault, openFileStore } from '@vault/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentConnection, WireWarning } from '../dist/client.js';
import { createTestAgent, unique, type TestAgent } from './helpers/agent.js';

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.cleanup();
  agent = undefined;
});

/** Asks through `connection`, collecting the store warnings the agent sends for the request. */
async function ask<T>(connection: AgentConnection, op: string, args: unknown[], warnings: WireWarning[]): Promise<T> {
  return connection.request<T>(op, args, { ctx: { cwd: agent!.root, resolveFrom: [] }, onWarning: (warning) => warnings.push(warning) });
}

const vaultFile = (): string => join(agent!.home, 'vault.enc');
const peek = async (): Promise<number> =>
  (await openFileStore({ home: agent!.home, env: { VAULTLINK_PASSPHRASE: agent!.passphrase } })).peekGeneration();
/** The agent log's lines for one event, without their timestamps. */
const logged = (event: string): string[] =>
  readFileSync(agent!.paths.log, 'utf8')
    .split('\n')
    .map((line) => line.slice(line.indexOf(' ') + 1))
    .filter((line) => line.startsWith(`${event} `));

describe('vault file changes under a running agent', () => {
  it('a write by an agent-less process is served at once (the generation moved)', async () => {
    const before = unique('before');
    const after = unique('after');
    agent = await createTestAgent({ secrets: { token: before } });
    const connection = await agent.unlocked();
    const warnings: WireWarning[] = [];
    expect(await ask(connection, 'get', ['token'], warnings)).toBe(before);
    const generation = await peek();
    const store = await openFileStore({ home: agent.home, env: { VAULTLINK_PASSPHRASE: agent.passphrase } });
    await new Vault({ store }).setLocal('token', after);
    expect(await peek()).toBe(generation + 1);
    expect(await ask(connection, 'get', ['token'], warnings)).toBe(after);
    expect(warnings).toEqual([]);
    connection.close();
  });

  it('a rolled-back vault file is noticed: its data is served, the client and the log get VAULT_ROLLBACK, and the next write goes above the mark', async () => {
    const old = unique('old');
    const newer = unique('newer');
    agent = await createTestAgent({ secrets: { token: old } });
    const connection = await agent.unlocked();
    const warnings: WireWarning[] = [];
    expect(await ask(connection, 'get', ['token'], warnings)).toBe(old);
    const backup = join(agent.root, 'vault.enc.backup');
    copyFileSync(vaultFile(), backup);
    const oldGeneration = await peek();
    await ask(connection, 'setLocal', ['token', newer], warnings);
    await ask(connection, 'setLocal', ['other', unique('other')], warnings);
    expect(await ask(connection, 'get', ['token'], warnings)).toBe(newer);
    const newestGeneration = await peek();
    expect(newestGeneration).toBe(oldGeneration + 2);
    expect(warnings).toEqual([]);

    copyFileSync(backup, vaultFile()); // someone puts the older copy back
    expect(await ask(connection, 'get', ['token'], warnings)).toBe(old);
    expect(await ask(connection, 'list', [], warnings)).toEqual([expect.objectContaining({ name: 'token' })]);
    // Told once, to the request that met it, with both generations.
    expect(warnings).toEqual([expect.objectContaining({ code: 'VAULT_ROLLBACK', generation: oldGeneration, expected: newestGeneration })]);
    expect(warnings[0]!.message).toContain('older copy');
    expect(logged('store-warning')).toEqual([
      `store-warning code=VAULT_ROLLBACK generation=${oldGeneration} expected=${newestGeneration} markSource="this process"`,
    ]);
    expect(readFileSync(agent.paths.log, 'utf8')).not.toContain(old);

    await ask(connection, 'setLocal', ['token', newer], warnings);
    expect(await peek()).toBe(newestGeneration + 1);
    connection.close();
  });

  it("a rollback while the agent is locked is reported when it unlocks again (its mark is the new store's minGeneration)", async () => {
    agent = await createTestAgent({ secrets: { token: unique('first') } });
    const connection = await agent.unlocked();
    const warnings: WireWarning[] = [];
    const backup = join(agent.root, 'vault.enc.backup');
    copyFileSync(vaultFile(), backup);
    const oldGeneration = await peek();
    await ask(connection, 'setLocal', ['token', unique('second')], warnings);
    await ask(connection, 'lock', [], warnings);
    copyFileSync(backup, vaultFile());

    const result = await ask(connection, 'unlock', [{ passphrase: agent.passphrase }], warnings);
    expect(result).toEqual({ unlocked: true, already: false });
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'VAULT_ROLLBACK', generation: oldGeneration, expected: oldGeneration + 1, markSource: 'caller' }),
    ]);
    expect(logged('store-warning')).toEqual([
      `store-warning code=VAULT_ROLLBACK generation=${oldGeneration} expected=${oldGeneration + 1} markSource=caller`,
    ]);
    connection.close();
  });
});
