/**
 * The built CLI (`node dist/bin.cjs`) with Azure Key Vault, against Lowkey Vault from the peers
 * harness over verified TLS: connect (managed identity through Lowkey's token endpoint), link,
 * get, show, resolve, reauth and disconnect, each in a new process, as a person runs them.
 * Every stderr, every non-value stdout and every file in VAULTLINK_HOME is searched for the values.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { lowkeySeeder } from '../../../../tools/peers/seed/lowkey.mjs';
import { expectNoLeaks, ok } from '../helpers/leaks.js';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from '../helpers/sandbox.js';

const peer = requirePeer('lowkey');

describe.skipIf(!peer)('vaultlink CLI with Azure Key Vault on Lowkey Vault', () => {
  const lowkey = peer!;
  // Built on first use: the describe body also runs (for collection) when the peer is skipped.
  let seeder: ReturnType<typeof lowkeySeeder> | undefined;
  const kv = () => (seeder ??= lowkeySeeder(lowkey));
  const run = uniqueValue('cli').replace(/[^A-Za-z0-9-]/g, '');
  const values = {
    v1: uniqueValue('db-password-v1'),
    v2: uniqueValue('db-password-v2'),
    other: uniqueValue('second-vault'),
    disabled: uniqueValue('disabled'),
  };
  const names = { db: `${run}-db`, other: `${run}-other`, off: `${run}-off`, gone: `${run}-gone` };
  let v1 = '';
  const sandboxes: Sandbox[] = [];

  /** A sandbox whose managed identity is Lowkey's token endpoint (App Service shape). */
  async function sandbox(): Promise<Sandbox> {
    const s = await createSandbox();
    for (const key of Object.keys(s.env))
      if (key.startsWith('AZURE_') || key.startsWith('IDENTITY_') || key.startsWith('MSI_')) delete s.env[key];
    s.env.IDENTITY_ENDPOINT = `${lowkey.tokenUrl}/metadata/identity/oauth2/token`;
    s.env.IDENTITY_HEADER = 'vaultlink-cli-test';
    sandboxes.push(s);
    return s;
  }

  beforeAll(async () => {
    v1 = (await kv().setSecretVersions(names.db, [values.v1]))[0]!;
    await lowkeySeeder(lowkey, { vaultUrl: lowkey.secondUrl! }).setSecret(names.other, values.other);
    await kv().setSecret(names.off, values.disabled);
    await kv().disableSecret(names.off);
  });
  afterAll(async () => {
    for (const s of sandboxes) await s.cleanup();
  });

  it('connect, link, get, show, resolve, reauth and disconnect, each in a new process', async () => {
    const s = await sandbox();
    const connected = ok(await s.run(['connect', 'azure', '--method', 'managed-identity']));
    expect(connected.stderr).toContain('managed identity system-assigned');

    const again = await s.run(['connect', 'azure', '--method', 'managed-identity', '--json']);
    expect(again.code).toBe(2);
    expect(jsonError(again).code).toBe('ALREADY_CONNECTED');

    const linked = ok(await s.run(['link', 'db', '--provider', 'azure', '--id', `${lowkey.url}/secrets/${names.db}`]));
    expect(linked.stderr).toContain('is not a known Key Vault domain');
    ok(await s.run(['link', 'pinned', '--provider', 'azure', '--id', `${lowkey.url}/secrets/${names.db}/${v1}`]));
    ok(await s.run(['link', 'other', '--provider', 'azure', '--id', `${lowkey.secondUrl}/secrets/${names.other}`]));

    expect(ok(await s.run(['get', 'db'])).stdout.replace(/\n$/, '')).toBe(values.v1);
    await kv().setSecret(names.db, values.v2);
    // A new process reads latest again; the pinned link keeps v1.
    expect(ok(await s.run(['get', 'db'])).stdout.replace(/\n$/, '')).toBe(values.v2);
    expect(ok(await s.run(['get', 'pinned'])).stdout.replace(/\n$/, '')).toBe(values.v1);
    expect(ok(await s.run(['get', 'other'])).stdout.replace(/\n$/, '')).toBe(values.other);

    const shown = JSON.parse(ok(await s.run(['show', 'db', '--json'])).stdout);
    expect(shown).toMatchObject({
      provider: 'azure',
      identifier: `${lowkey.url}/secrets/${names.db}`,
      extra: { vault: lowkey.url, secret: names.db },
    });
    expect(shown.upstream).toMatchObject({
      vault: lowkey.url,
      name: names.db,
      enabled: true,
      state: 'active',
      versionPinned: false,
      version: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(shown.upstream.version).not.toBe(v1);
    const shownPinned = JSON.parse(ok(await s.run(['show', 'pinned', '--json'])).stdout);
    expect(shownPinned.upstream).toMatchObject({ version: v1, versionPinned: true });

    const resolved = ok(await s.run(['resolve'], { input: 'db={{vault:db}}\npinned={{vault:pinned}}\nother={{vault:other}}\n' }));
    expect(resolved.stdout).toBe(`db=${values.v2}\npinned=${values.v1}\nother=${values.other}\n`);

    ok(await s.run(['reauth', 'azure']));
    const integrations = JSON.parse(ok(await s.run(['integrations', '--json'])).stdout);
    expect(JSON.stringify(integrations)).toContain('managed identity system-assigned');
    expect(ok(await s.run(['get', 'db'])).stdout.replace(/\n$/, '')).toBe(values.v2);

    ok(await s.run(['disconnect', 'azure']));
    const afterDisconnect = await s.run(['get', 'db', '--json']);
    expect(afterDisconnect.code).toBe(4);
    expect(jsonError(afterDisconnect)).toMatchObject({ code: 'UNRESOLVED' });
    const unresolved = await s.run(['resolve'], { input: 'db={{vault:db}}\n' });
    expect(unresolved.code).toBe(4);
    expect(unresolved.stdout).not.toContain(values.v2);

    await expectNoLeaks(s, Object.values(values));
  });

  it('names disabled and missing secrets with their codes and exit codes', async () => {
    const s = await sandbox();
    ok(await s.run(['connect', 'azure', '--method', 'managed-identity']));
    ok(await s.run(['link', 'off', '--provider', 'azure', '--id', `${lowkey.url}/secrets/${names.off}`]));
    ok(await s.run(['link', 'gone', '--provider', 'azure', '--id', `${lowkey.url}/secrets/${names.gone}`]));

    const off = await s.run(['get', 'off', '--json']);
    expect(off.code).toBe(4);
    expect(jsonError(off)).toMatchObject({ code: 'SECRET_DISABLED', message: expect.stringContaining('disabled') });
    const shownOff = JSON.parse(ok(await s.run(['show', 'off', '--json'])).stdout);
    expect(shownOff.upstream).toMatchObject({ enabled: false, state: 'disabled' });

    const gone = await s.run(['get', 'gone', '--json']);
    expect(gone.code).toBe(4);
    expect(jsonError(gone).code).toBe('NOT_FOUND');

    const bad = await s.run([
      'link',
      'bad',
      '--provider',
      'azure',
      '--id',
      `http://${new URL(lowkey.url).host}/secrets/bad_name`,
      '--json',
    ]);
    expect(bad.code).toBe(2);
    expect(
      jsonError(bad)
        .issues!.map((i) => i.field)
        .sort(),
    ).toEqual(['name', 'scheme']);

    await expectNoLeaks(s, Object.values(values));
  });

  it('links export writes Azure links as --id (and --json-pointer); another vault syncs them and reads the same values', async () => {
    const nested = uniqueValue('nested-password');
    const jsonName = `${run}-json`;
    await kv().setSecret(jsonName, JSON.stringify({ db: { password: nested } }));
    const alice = await sandbox();
    ok(await alice.run(['connect', 'azure', '--method', 'managed-identity']));
    ok(await alice.run(['link', 'pinned', '--provider', 'azure', '--id', `${lowkey.url}/secrets/${names.db}/${v1.toUpperCase()}`]));
    ok(
      await alice.run([
        'link',
        'nested',
        '--provider',
        'azure',
        '--id',
        `${lowkey.url}/secrets/${jsonName}`,
        '--json-pointer',
        '/db/password',
      ]),
    );
    ok(await alice.run(['links', 'export']));
    const manifest = JSON.parse(await readFile(join(alice.cwd, '.vaultlink', 'links.json'), 'utf8'));
    // The canonical identifier: the version as Key Vault writes it.
    expect(manifest.links.pinned).toMatchObject({ provider: 'azure', link: { id: `${lowkey.url}/secrets/${names.db}/${v1}` } });
    expect(manifest.links.nested).toMatchObject({
      provider: 'azure',
      link: { id: `${lowkey.url}/secrets/${jsonName}`, 'json-pointer': '/db/password' },
    });
    expect(Object.keys(manifest.links).sort()).toEqual(['nested', 'pinned']);

    const bob = await sandbox();
    ok(await bob.run(['connect', 'azure', '--method', 'managed-identity']));
    ok(await bob.run(['links', 'sync'], { cwd: alice.cwd }));
    expect(ok(await bob.run(['get', 'pinned'])).stdout.replace(/\n$/, '')).toBe(values.v1);
    expect(ok(await bob.run(['get', 'nested'])).stdout.replace(/\n$/, '')).toBe(nested);
    // Synced again, bob's links are the manifest's.
    const again = JSON.parse(ok(await bob.run(['--json', 'links', 'sync', '--dry-run'], { cwd: alice.cwd })).stdout);
    expect(again.items.map((i: { name: string; status: string }) => `${i.name}:${i.status}`).sort()).toEqual([
      'nested:unchanged',
      'pinned:unchanged',
    ]);

    await expectNoLeaks(alice, [...Object.values(values), nested]);
    await expectNoLeaks(bob, [...Object.values(values), nested]);
  });

  it('refuses the browser sign-in in CI, pointing to --method device-code', async () => {
    const s = await sandbox();
    const result = await s.run(['connect', 'azure', '--json'], { env: { CI: 'true' } });
    expect(result.code).toBe(3);
    expect(jsonError(result)).toMatchObject({ code: 'AUTH_FAILED', fix: 'vaultlink connect azure --method device-code' });
  });
});
