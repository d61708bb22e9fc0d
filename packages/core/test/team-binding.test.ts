/**
 * A team-level disconnect reaches members: a member whose team config no longer has the
 * admin-managed integration, or has other settings than the ones the member signed in with, gets
 * UNRESOLVED (reason `disconnected`) with a fix, and values cached for the provider are dropped.
 * Personal connections (made without team settings) are not governed by the team config.
 * Also: what logout/disconnect report about revoking the session upstream.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, Vault, type AnyProvider } from '../src/index.js';
import { createMemoryProvider, type MemoryProvider } from '../src/testing.js';
import { DOCS, setup, testIO } from './helpers.js';

let dir: string;
let teamFile: string;
let memory: MemoryProvider;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vl-team-binding-'));
  teamFile = join(dir, 'team.json');
  memory = createMemoryProvider({ documents: DOCS, adminManaged: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Members' vaults: their own store, one shared team config. */
function member(provider: AnyProvider = memory): Vault {
  return new Vault({ store: createMemoryStore(), providers: [provider], env: { VAULTLINK_TEAM_CONFIG: teamFile } });
}

/** An admin set the team up; member bob connected, linked `search` and read it once (now cached). */
async function teamWithReadingMember(): Promise<{ admin: Vault; bob: Vault }> {
  const admin = member();
  await admin.setup('memory', { organization: 'acme' }, testIO());
  const bob = member();
  await bob.connect('memory', {}, testIO());
  await bob.link('search', 'memory', { path: 'team/search' });
  expect(await bob.get('search')).toBe('search-token-5555');
  return { admin, bob };
}

async function teamOf(): Promise<{ version: 1; integrations: Record<string, Record<string, unknown>> }> {
  return JSON.parse(await readFile(teamFile, 'utf8'));
}

describe('a team-level disconnect reaches members', () => {
  it("after the admin removes the team integration, a member's cached reference is unresolved (disconnected) and its cache is dropped", async () => {
    const { admin, bob } = await teamWithReadingMember();
    expect(memory.stats.upstreamReads).toBe(1);

    await admin.connect('memory', {}, testIO());
    await admin.disconnect('memory', testIO(), { admin: true });
    expect((await teamOf()).integrations).toEqual({});

    const resolution = (await bob.resolveNames(['search'])).get('search');
    expect(resolution).toMatchObject({
      ok: false,
      reason: 'disconnected',
      code: 'UNRESOLVED',
      fix: { action: 'disconnect', provider: 'memory' },
    });
    await expect(bob.get('search')).rejects.toMatchObject({ code: 'UNRESOLVED' });
    await expect(bob.describe('search')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    const [info] = await bob.integrations();
    expect(info!.disconnected?.message).toContain('removed');
    expect(info!.disconnected?.fix).toMatchObject({ action: 'disconnect', provider: 'memory' });
    expect(memory.stats.upstreamReads).toBe(1); // the cached value was not served

    // The admin sets the same team up again: the cache was dropped, so the value is fetched anew.
    await admin.setup('memory', { organization: 'acme' }, testIO());
    expect(await bob.get('search')).toBe('search-token-5555');
    expect(memory.stats.upstreamReads).toBe(2);
    expect((await bob.integrations())[0]!.disconnected).toBeUndefined();
  });

  it("team settings other than the member's session make it disconnected until reauth", async () => {
    const { bob } = await teamWithReadingMember();

    await writeFile(teamFile, JSON.stringify({ version: 1, integrations: { memory: { organization: 'acme', extra: 'changed' } } }));
    expect((await bob.resolveNames(['search'])).get('search')).toMatchObject({
      ok: false,
      reason: 'disconnected',
      fix: { action: 'reauth', provider: 'memory' },
    });

    await bob.reauth('memory', testIO());
    expect(await bob.get('search')).toBe('search-token-5555');
    expect(memory.stats.upstreamReads).toBe(2);
  });

  it('a malformed team config fails the reference closed (INVALID_CONFIG), not with the cached value', async () => {
    const { bob } = await teamWithReadingMember();
    await writeFile(teamFile, '{ not json');
    expect((await bob.resolveNames(['search'])).get('search')).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
    const [info] = await bob.integrations(); // still listed, as disconnected, naming the file
    expect(info!.disconnected?.message).toContain(teamFile);
  });

  it('a personal connection (no team settings, provider allows it) is not governed by a team config', async () => {
    const personalCapable: AnyProvider = createMemoryProvider({ documents: DOCS, adminManaged: false });
    const adminManagedPersonal: AnyProvider = {
      ...personalCapable,
      capabilities: { ...personalCapable.capabilities, adminManagedSetup: true, connectWithoutTeam: true },
      setup: async (fields) => ({ organization: fields['organization'] }),
      teardown: async () => {},
    };
    const bob = member(adminManagedPersonal);
    const info = await bob.connect('memory', {}, testIO());
    expect(info.adminManaged).toBe(true);
    await bob.link('search', 'memory', { path: 'team/search' });
    expect(await bob.get('search')).toBe('search-token-5555');
    // A team config without the provider does not disconnect a personal connection.
    await writeFile(teamFile, JSON.stringify({ version: 1, integrations: {} }));
    expect(await bob.get('search')).toBe('search-token-5555');
    expect((await bob.integrations())[0]!.disconnected).toBeUndefined();
  });

  it('an admin-managed provider without connectWithoutTeam still needs the team settings to connect', async () => {
    await expect(member().connect('memory', {}, testIO())).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
      fix: { action: 'setup', provider: 'memory' },
    });
  });
});

describe('what signing out did upstream', () => {
  it('logout reports revoked when signOut returns nothing, and only forgotten when it says so', async () => {
    const { vault } = setup();
    await vault.connect('memory', {}, testIO());
    await expect(vault.logout('memory')).resolves.toEqual({ revoked: true });
    await expect(vault.logout('memory')).resolves.toEqual({ revoked: null }); // already signed out

    const plain = createMemoryProvider({ documents: DOCS });
    const keeper: AnyProvider = { ...plain, signOut: async () => ({ revoked: false, note: 'the token was yours' }) };
    const other = new Vault({ store: createMemoryStore(), providers: [keeper] });
    await other.connect('memory', {}, testIO());
    await expect(other.logout('memory')).resolves.toEqual({ revoked: false, note: 'the token was yours' });
    await other.reauth('memory', testIO());
    await expect(other.disconnect('memory', testIO())).resolves.toEqual({ revoked: false, note: 'the token was yours' });
  });

  it('a provider without signOut: the credentials are only forgotten', async () => {
    const plain = createMemoryProvider({ documents: DOCS });
    const { signOut: _dropped, ...withoutSignOut } = plain;
    const vault = new Vault({ store: createMemoryStore(), providers: [withoutSignOut as AnyProvider] });
    await vault.connect('memory', {}, testIO());
    await expect(vault.logout('memory')).resolves.toEqual({ revoked: false });
  });
});
