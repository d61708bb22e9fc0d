/** Linked secrets and integrations through the built CLI, with the built-in memory provider. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from './helpers/sandbox.js';

describe('linking to the memory provider', () => {
  let sandbox: Sandbox;
  const v1 = uniqueValue('pay-v1');
  const v2 = uniqueValue('pay-v2');
  const whsec = uniqueValue('whsec');
  const hidden = uniqueValue('hidden');
  beforeAll(async () => {
    sandbox = await createSandbox({
      documents: {
        'team/payments': {
          versions: [
            { api_key: v1, webhook: whsec },
            { api_key: v2, webhook: whsec },
          ],
        },
        'team/restricted': { versions: [hidden], deniedPrincipals: ['mallory'] },
      },
    });
  });
  afterAll(() => sandbox.cleanup());

  it('link --help lists the provider flags named by --provider', async () => {
    const help = await sandbox.run(['link', 'x', '--provider', 'memory', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--path <PATH>');
    expect(help.stdout).toContain('--key <KEY>');
    expect(help.stdout).toContain('--version <N>');
  });

  it('link stores the link, tells the user to connect, and list/show describe it without a value', async () => {
    const link = await sandbox.run([
      'link',
      'pay',
      '--provider',
      'memory',
      '--path',
      'team/payments',
      '--key',
      'api_key',
      '--domain',
      'api.pay.example',
    ]);
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toBe('');
    expect(link.stderr).toContain('team/payments#api_key');
    expect(link.stderr).toContain('vaultlink connect memory');
    const list = JSON.parse((await sandbox.run(['list', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(list).toEqual([
      expect.objectContaining({
        name: 'pay',
        kind: 'linked',
        provider: 'memory',
        identifier: 'team/payments#api_key',
        state: 'disconnected',
      }),
    ]);
    const show = await sandbox.run(['show', 'pay']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/identifier:\s+team\/payments#api_key/);
    expect(show.stdout).toMatch(/version:\s+latest/);
    expect(show.stdout).toContain('api.pay.example');
    expect(show.stdout).toMatch(/last fetched:/);
  });

  it('a linked secret does not resolve before connect (reason disconnected)', async () => {
    const result = await sandbox.run(['--json', 'resolve', '-'], { input: 'key={{vault:pay}}' });
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    const error = jsonError(result);
    expect(error.code).toBe('UNRESOLVED');
    expect(error.details?.unresolved).toEqual([expect.objectContaining({ name: 'pay', reason: 'disconnected' })]);
  });

  it('connect signs in; integrations lists it; a second connect is ALREADY_CONNECTED (exit 2) naming disconnect', async () => {
    const connect = await sandbox.run(['connect', 'memory']);
    expect(connect.code, connect.stderr).toBe(0);
    expect(connect.stderr).toContain('demo-user');
    const integrations = JSON.parse((await sandbox.run(['integrations', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(integrations).toEqual([
      expect.objectContaining({ provider: 'memory', principal: 'demo-user', organization: 'memory-demo', linkedSecrets: 1 }),
    ]);
    const table = await sandbox.run(['integrations']);
    expect(table.stdout).toMatch(/^PROVIDER\s+ORGANIZATION/);
    const again = await sandbox.run(['--json', 'connect', 'memory', '--organization', 'other-org']);
    expect(again.code).toBe(2);
    const error = jsonError(again);
    expect(error.code).toBe('ALREADY_CONNECTED');
    expect(error.fix).toContain('vaultlink disconnect memory');
  });

  it('get resolves the linked value; show adds upstream metadata but no value', async () => {
    const get = await sandbox.run(['get', 'pay']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(v2);
    const show = await sandbox.run(['show', 'pay', '--json']);
    expect(show.code, show.stderr).toBe(0);
    const info = JSON.parse(show.stdout) as { upstream?: Record<string, unknown>; state: string };
    expect(info.state).toBe('enabled');
    expect(info.upstream).toMatchObject({ path: 'team/payments', latestVersion: '2', keys: ['api_key', 'webhook'] });
    expect(show.stdout + show.stderr).not.toContain(v2);
    expect(show.stdout + show.stderr).not.toContain(whsec);
    const offline = await sandbox.run(['show', 'pay', '--no-upstream', '--json']);
    expect(JSON.parse(offline.stdout)).not.toHaveProperty('upstream');
  });

  it('relinking replaces the link (pinned version 1 now) and keeps the allowed domains unless --domain is given', async () => {
    const relink = await sandbox.run([
      'link',
      'pay',
      '--provider',
      'memory',
      '--path',
      'team/payments',
      '--key',
      'api_key',
      '--version',
      '1',
    ]);
    expect(relink.code, relink.stderr).toBe(0);
    expect((await sandbox.run(['get', 'pay'])).stdout).toBe(v1);
    const info = JSON.parse((await sandbox.run(['show', 'pay', '--json', '--no-upstream'])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ version: '1', allowedDomains: ['api.pay.example'] });
  });

  it('an invalid link fails with INVALID_LINK (exit 2) naming each bad field and its expected form', async () => {
    const result = await sandbox.run(['--json', 'link', 'broken', '--provider', 'memory', '--path', 'bad path!', '--version', 'latest']);
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error.code).toBe('INVALID_LINK');
    expect(error.issues?.map((i) => i.field).sort()).toEqual(['path', 'version']);
    expect(error.issues?.every((i) => i.expected.length > 0)).toBe(true);
    expect((await sandbox.run(['get', 'broken'])).code).toBe(4); // nothing half-written
  });

  it('link without --provider is a usage error (exit 2)', async () => {
    const result = await sandbox.run(['link', 'x', '--path', 'a']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--provider');
  });

  it('an unknown provider fails with PROVIDER_NOT_INSTALLED (exit 2): the known ids, the naming rule, no install command', async () => {
    const result = await sandbox.run(['--json', 'link', 'x', '--provider', 'nosuchvault', '--path', 'a']);
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error.code).toBe('PROVIDER_NOT_INSTALLED');
    expect(error.fix).toContain('vaultlink-provider-<id>');
    expect(error.fix).not.toContain('npm i vaultlink-provider-nosuchvault');
  });

  it('a missing upstream document is NOT_FOUND (exit 4)', async () => {
    await sandbox.run(['link', 'ghost', '--provider', 'memory', '--path', 'team/nothing-here']);
    const result = await sandbox.run(['--json', 'get', 'ghost']);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(['NOT_FOUND', 'UNRESOLVED']).toContain(jsonError(result).code);
  });

  it('an upstream denial is ACCESS_DENIED (exit 3), never NOT_FOUND', async () => {
    await sandbox.run(['link', 'restricted', '--provider', 'memory', '--path', 'team/restricted']);
    expect((await sandbox.run(['disconnect', 'memory'])).code).toBe(0);
    expect((await sandbox.run(['connect', 'memory', '--principal', 'mallory'])).code).toBe(0);
    const result = await sandbox.run(['--json', 'get', 'restricted']);
    expect(result.code).toBe(3);
    expect(jsonError(result).code).toBe('ACCESS_DENIED');
    expect(result.stderr).not.toContain(hidden);
  });

  it('reauth renews the session; logout drops it so resolving needs reauth (exit 3)', async () => {
    const reauth = await sandbox.run(['reauth', 'memory']);
    expect(reauth.code, reauth.stderr).toBe(0);
    expect(reauth.stderr).toContain('mallory'); // reuses the principal given at connect
    const logout = await sandbox.run(['logout', 'memory']);
    expect(logout.code, logout.stderr).toBe(0);
    const get = await sandbox.run(['--json', 'get', 'pay']);
    expect(get.code).toBe(3);
    expect(jsonError(get).fix).toContain('vaultlink reauth memory');
    expect((await sandbox.run(['reauth', 'memory', '--principal', 'demo-user'])).code).toBe(0);
    expect((await sandbox.run(['get', 'pay'])).stdout).toBe(v1);
  });

  it('disconnect keeps the links, and resolve then reports them as disconnected (exit 4, nothing on stdout)', async () => {
    const disconnect = await sandbox.run(['disconnect', 'memory']);
    expect(disconnect.code, disconnect.stderr).toBe(0);
    expect(disconnect.stderr).toContain('unresolved');
    const list = JSON.parse((await sandbox.run(['list', '--json'])).stdout) as Array<{ name: string; state: string }>;
    expect(list.find((s) => s.name === 'pay')?.state).toBe('disconnected');
    const resolve = await sandbox.run(['resolve', '-'], { input: 'Authorization: Bearer {{vault:pay}}\n' });
    expect(resolve.code).toBe(4);
    expect(resolve.stdout).toBe('');
    expect(resolve.stderr).toMatch(/pay: disconnected/);
    expect((await sandbox.run(['integrations', '--json'])).stdout.trim()).toBe('[]');
  });
});
