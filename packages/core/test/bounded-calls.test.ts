/**
 * Sign-out, setup and teardown go through the provider's gate like reads: a vault that stopped
 * answering costs one time bound and gives PROVIDER_UNAVAILABLE, never a hang, and the call gets
 * the signal and per-request timeout to pass on.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, Vault, VaultError, type AnyProvider } from '../src/index.js';
import type { CallOptions } from '../src/provider.js';
import { createMemoryProvider } from '../src/testing.js';
import { DOCS, testIO } from './helpers.js';

const bounds = { requestTimeoutMs: 40, totalTimeoutMs: 150 };
let dir: string;
let teamFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vl-bounded-'));
  teamFile = join(dir, 'team.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function vaultWith(provider: AnyProvider): Vault {
  return new Vault({ store: createMemoryStore(), providers: [provider], env: { VAULTLINK_TEAM_CONFIG: teamFile }, ...bounds });
}

const unavailable = { code: 'PROVIDER_UNAVAILABLE', details: { timedOut: true, totalTimeoutMs: bounds.totalTimeoutMs } };

describe('signOut is bounded', () => {
  it('logout against a frozen vault gives PROVIDER_UNAVAILABLE and keeps the session', async () => {
    const memory = createMemoryProvider({ documents: DOCS });
    const vault = vaultWith(memory);
    await vault.connect('memory', {}, testIO());
    memory.setFault('frozen');
    await expect(vault.logout('memory')).rejects.toMatchObject(unavailable);
    expect((await vault.integrations())[0]!.expired).toBe(false);
  });

  it('disconnect against a frozen vault still removes the integration, and says the token may live on', async () => {
    const memory = createMemoryProvider({ documents: DOCS });
    const vault = vaultWith(memory);
    await vault.connect('memory', {}, testIO());
    memory.setFault('frozen');
    const io = testIO();
    await expect(vault.disconnect('memory', io)).resolves.toEqual({ revoked: false });
    expect(io.messages).toContainEqual(
      expect.stringMatching(/^warn Could not revoke the memory session upstream \(PROVIDER_UNAVAILABLE\)/),
    );
    expect(await vault.integrations()).toEqual([]);
  });

  it('hands signOut the per-request timeout and a signal that aborts at the bound', async () => {
    const seen: CallOptions[] = [];
    const memory = createMemoryProvider({ documents: DOCS });
    const provider: AnyProvider = { ...memory, signOut: async (_session: unknown, call: CallOptions) => void seen.push(call) };
    const vault = vaultWith(provider);
    await vault.connect('memory', {}, testIO());
    await expect(vault.logout('memory')).resolves.toEqual({ revoked: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.timeoutMs).toBe(bounds.requestTimeoutMs);
    expect(seen[0]!.signal).toBeInstanceOf(AbortSignal);
  });
});

describe('setup and teardown are bounded', () => {
  it('setup against a frozen vault gives PROVIDER_UNAVAILABLE and writes no team config', async () => {
    const memory = createMemoryProvider({ documents: DOCS, adminManaged: true });
    memory.setFault('frozen');
    await expect(vaultWith(memory).setup('memory', { organization: 'acme' }, testIO())).rejects.toMatchObject(unavailable);
    await expect(readFile(teamFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a team-level disconnect against a frozen vault gives PROVIDER_UNAVAILABLE and keeps the team config', async () => {
    const memory = createMemoryProvider({ documents: DOCS, adminManaged: true });
    const admin = vaultWith(memory);
    await admin.setup('memory', { organization: 'acme' }, testIO());
    await admin.connect('memory', {}, testIO());
    memory.setFault('frozen');
    await expect(admin.disconnect('memory', testIO(), { admin: true })).rejects.toMatchObject(unavailable);
    expect(JSON.parse(await readFile(teamFile, 'utf8')).integrations).toEqual({ memory: { organization: 'acme' } });
    expect(await admin.integrations()).toHaveLength(1);
  });

  it('a throttled setup is reported, not started again (it may have changed things upstream)', async () => {
    const memory = createMemoryProvider({ documents: DOCS, adminManaged: true });
    let calls = 0;
    const provider: AnyProvider = {
      ...memory,
      setup: async () => {
        calls++;
        throw new VaultError('THROTTLED', 'Too many requests.', { retryAfterSeconds: 1 });
      },
    };
    await expect(vaultWith(provider).setup('memory', {}, testIO())).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(calls).toBe(1);
  });
});
