import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, Vault, type FlagSpec } from '../src/index.js';
import { createMemoryProvider, type MemoryProvider } from '../src/testing.js';
import { DOCS, setup, testIO } from './helpers.js';

describe('integrations', () => {
  it('connects once per provider; a second connect is ALREADY_CONNECTED naming the disconnect command', async () => {
    const { vault, memory } = setup();
    const info = await vault.connect('memory', { principal: 'alice' }, testIO());
    expect(info).toMatchObject({
      provider: 'memory',
      principal: 'alice',
      organization: 'memory-demo',
      expired: false,
      adminManaged: false,
      linkedSecrets: 0,
    });
    const error = await vault.connect('memory', { principal: 'bob' }, testIO()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ALREADY_CONNECTED', fix: { action: 'disconnect', provider: 'memory' } });
    expect(memory.stats.authenticateCalls).toBe(1);
    expect((await vault.integrations()).map((i) => i.principal)).toEqual(['alice']);
  });

  it('stores the session and the non-secret connect options; reauth reuses them', async () => {
    const memory = createMemoryProvider({ documents: DOCS });
    const withSecretFlag = {
      ...memory,
      flags: {
        ...memory.flags,
        connect: [...memory.flags.connect, { name: 'api-token', description: 't', type: 'string', secret: true } satisfies FlagSpec],
      },
    };
    const store = createMemoryStore();
    const vault = new Vault({ store, providers: [withSecretFlag] });
    await vault.connect('memory', { principal: 'alice', apiToken: 'tok-secret-9999' }, testIO());
    const stored = (await store.read()).integrations['memory']!;
    expect(stored.connectOptions).toEqual({ principal: 'alice' });
    expect(stored.session.principal).toBe('alice');
    const before = stored.session.data;
    const info = await vault.reauth('memory', testIO());
    expect(info.principal).toBe('alice');
    expect((await store.read()).integrations['memory']!.session.data).not.toEqual(before);
  });

  it('refreshes an expired session before fetching, and persists the new one', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const { vault, memory, store } = setup({ memory: { sessionTtlSeconds: 600, now: () => now }, vault: { now: () => now } });
    await vault.connect('memory', {}, testIO());
    await vault.link('s', 'memory', { path: 'team/search' });
    now += 601_000;
    expect((await vault.integrations())[0]!.expired).toBe(true);
    expect(await vault.get('s')).toBe('search-token-5555');
    expect(memory.stats.refreshCalls).toBe(1);
    expect(Date.parse((await store.read()).integrations['memory']!.session.expiresAt!)).toBe(now + 600_000);
  });

  it('an expired session that cannot be refreshed is REAUTH_REQUIRED naming `vaultlink reauth <id>`; reauth fixes it', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const { vault, memory } = setup({ memory: { sessionTtlSeconds: 60, refreshable: false, now: () => now }, vault: { now: () => now } });
    await vault.connect('memory', {}, testIO());
    await vault.link('s', 'memory', { path: 'team/search' });
    now += 61_000;
    const error = await vault.get('s').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REAUTH_REQUIRED', fix: { action: 'reauth', provider: 'memory' } });
    expect((error as Error).message).not.toContain('vaultlink'); // the host renders the fix
    expect(memory.stats.upstreamCalls).toBe(0); // checked before any fetch
    await vault.reauth('memory', testIO());
    expect(await vault.get('s')).toBe('search-token-5555');
  });

  it('reauth into another organization is refused: an integration cannot be edited', async () => {
    const { vault } = setup();
    await vault.connect('memory', { organization: 'acme' }, testIO());
    await expect(vault.reauth('memory', testIO(), { organization: 'other' })).rejects.toMatchObject({ code: 'ALREADY_CONNECTED' });
  });

  it('disconnect keeps the links; their references become unresolved (disconnected)', async () => {
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('s', 'memory', { path: 'team/search' });
    expect(await vault.get('s')).toBe('search-token-5555');
    await vault.disconnect('memory', testIO());
    expect(memory.stats.signOutCalls).toBe(1);
    expect((await vault.list()).map((s) => s.name)).toEqual(['s']);
    const result = await vault.resolveNames(['s']);
    expect(result.get('s')).toMatchObject({ ok: false, reason: 'disconnected', code: 'UNRESOLVED' });
    await expect(vault.disconnect('memory', testIO())).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
      fix: { action: 'connect', provider: 'memory' },
    });
    await vault.connect('memory', {}, testIO());
    expect(await vault.get('s')).toBe('search-token-5555');
  });

  it('logout drops the session but keeps the integration; references need reauth', async () => {
    const { vault, store } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('s', 'memory', { path: 'team/search' });
    await vault.get('s');
    await vault.logout('memory');
    const integration = (await store.read()).integrations['memory']!;
    expect(integration.session.data).toBeNull();
    expect((await vault.integrations())[0]).toMatchObject({ expired: true });
    expect((await vault.resolveNames(['s'])).get('s')).toMatchObject({
      ok: false,
      reason: 'reauth',
      fix: { action: 'reauth', provider: 'memory' },
    });
    await vault.reauth('memory', testIO());
    expect(await vault.get('s')).toBe('search-token-5555');
  });
});

describe('admin-managed integrations and the team config', () => {
  let dir: string;
  let memory: MemoryProvider;
  const vaultIn = (cwd: string, env: Record<string, string> = {}) =>
    new Vault({ store: createMemoryStore(), providers: [memory], cwd, env });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vaultlink-team-'));
    memory = createMemoryProvider({ documents: DOCS, adminManaged: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('members cannot connect before setup; setup writes .vaultlink/team.json; members then get its organization', async () => {
    const member = vaultIn(join(dir));
    await expect(member.connect('memory', {}, testIO())).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    const admin = vaultIn(dir);
    await admin.setup('memory', { organization: 'acme-team' }, testIO());
    const written = JSON.parse(await readFile(join(dir, '.vaultlink', 'team.json'), 'utf8'));
    expect(written).toEqual({ version: 1, integrations: { memory: { organization: 'acme-team' } } });
    await mkdir(join(dir, 'sub', 'deeper'), { recursive: true });
    const nested = vaultIn(join(dir, 'sub', 'deeper')); // found by walking up
    const info = await nested.connect('memory', { organization: 'ignored' }, testIO());
    expect(info).toMatchObject({ organization: 'acme-team', adminManaged: true });
    await expect(admin.setup('memory', {}, testIO())).rejects.toMatchObject({ code: 'ALREADY_CONNECTED' });
  });

  it('VAULTLINK_TEAM_CONFIG points at the file', async () => {
    const file = join(dir, 'elsewhere.json');
    await vaultIn(dir, { VAULTLINK_TEAM_CONFIG: file }).setup('memory', { organization: 'env-team' }, testIO());
    expect(JSON.parse(await readFile(file, 'utf8')).integrations.memory.organization).toBe('env-team');
  });

  it('disconnect needs admin rights (teardown first), then removes the team entry', async () => {
    const admin = vaultIn(dir);
    await admin.setup('memory', {}, testIO());
    await admin.connect('memory', {}, testIO());
    await expect(admin.disconnect('memory', testIO())).rejects.toMatchObject({ code: 'ADMIN_REQUIRED' });
    expect(JSON.parse(await readFile(join(dir, '.vaultlink', 'team.json'), 'utf8')).integrations.memory).toBeDefined();
    await admin.disconnect('memory', testIO(), { admin: true });
    expect(JSON.parse(await readFile(join(dir, '.vaultlink', 'team.json'), 'utf8')).integrations).toEqual({});
    expect(await admin.integrations()).toEqual([]);
  });

  it('a malformed team config is INVALID_CONFIG naming the file and the field', async () => {
    await mkdir(join(dir, '.vaultlink'));
    await writeFile(join(dir, '.vaultlink', 'team.json'), JSON.stringify({ version: 2, integrations: { memory: 'x' } }));
    const error = await vaultIn(dir)
      .connect('memory', {}, testIO())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
    expect((error as Error).message).toContain(join(dir, '.vaultlink', 'team.json'));
    expect((error as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toEqual(['version', 'integrations.memory']);
    await writeFile(join(dir, '.vaultlink', 'team.json'), '{ not json');
    await expect(vaultIn(dir).connect('memory', {}, testIO())).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('setup on a provider that is not admin-managed is INVALID_INPUT', async () => {
    const { vault } = setup();
    await expect(vault.setup('memory', {}, testIO())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fix: { action: 'connect', provider: 'memory' },
    });
  });
});
