/**
 * Team and CI workflows against the real peers, through the built CLI: a member links values
 * inside JSON documents with --json-pointer and exports a link manifest; a CI job with a fresh
 * vault, sign-in from the environment (AppRole on OpenBao, access keys on moto) and nothing but
 * the manifest runs a collection (`vaultlink run`, VAULTLINK_LINKS) or syncs and resolves.
 * Reads are counted (OpenBao's audit log; a counting proxy in front of moto): two pointers into
 * one document cost one read. No value may reach the manifest, any output but the request the
 * collection sends, or a file in VAULTLINK_HOME.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { allow, motoSeeder } from '../../../../tools/peers/seed/moto.mjs';
import { applyAwsEnv } from '../helpers/aws-env.js';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { expectNoLeaks, ok } from '../helpers/leaks.js';
import { createSandbox, uniqueSuffix, uniqueValue, type Sandbox } from '../helpers/sandbox.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const bao = requirePeer('openbao');
const motoAuth = requirePeer('moto-auth');
if (!bao || !motoAuth) throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the OpenBao and moto-auth peers');

const sandboxes: Sandbox[] = [];
async function sandbox(options: { initVault?: boolean } = {}): Promise<Sandbox> {
  const made = await createSandbox(options);
  sandboxes.push(made);
  return made;
}

/** A loopback server that records the headers of each request (the collection's target). */
async function headerRecorder(): Promise<{
  origin: string;
  headers: Array<Record<string, string | string[] | undefined>>;
  server: Server;
}> {
  const headers: Array<Record<string, string | string[] | undefined>> = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume();
    req.on('end', () => res.end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, headers, server };
}

afterAll(async () => {
  for (const s of sandboxes) await s.cleanup();
});

describe('OpenBao: a member exports, CI runs a collection with AppRole and the manifest', () => {
  const seed = openBaoSeeder(bao);
  const id = uniqueSuffix('team');
  const path = `team-${id}/app`;
  const approle = `ci-${id}`;
  const values = { primary: uniqueValue('bao-primary'), replica: uniqueValue('bao-replica'), api: uniqueValue('bao-api') };
  let member: Sandbox;
  let repo: string;
  let recorder: Awaited<ReturnType<typeof headerRecorder>>;

  beforeAll(async () => {
    recorder = await headerRecorder();
    await seed.kvPut('secret', path, {
      db: { primary: { password: values.primary }, replica: { password: values.replica } },
      api: values.api,
    });
    await seed.writePolicy(`read-${id}`, `path "secret/data/${path}" { capabilities = ["read"] }`);
    await seed.request('POST', `sys/auth/${approle}`, { type: 'approle' });
    await seed.request('POST', `auth/${approle}/role/ci`, { token_policies: [`read-${id}`], token_ttl: '20m' });
    member = await sandbox();
    repo = join(member.root, 'repo');
    await mkdir(repo, { recursive: true });
  });
  afterAll(async () => {
    await new Promise((resolve) => recorder.server.close(resolve));
  });

  it('a member links two pointers into one KV value and a key, and exports them without values', async () => {
    const { token } = await seed.createToken({ policies: [`read-${id}`], ttl: '20m' });
    ok(await member.run(['connect', 'hashicorp', '--method', 'token', '--token-stdin', '--vault-addr', bao.addr], { input: token }));
    const link = (name: string, ...flags: string[]) =>
      member.run(['link', name, '--provider', 'hashicorp', '--engine', 'secret', '--path', path, '--domain', 'http://127.0.0.1', ...flags]);
    ok(await link('db_primary', '--key', 'db', '--json-pointer', '/primary/password'));
    ok(await link('db_replica', '--key', 'db', '--json-pointer', '/replica/password'));
    ok(await link('api', '--key', 'api'));
    ok(await member.run(['links', 'export'], { cwd: repo }));
    const manifest = await readFile(join(repo, '.vaultlink', 'links.json'), 'utf8');
    expect(JSON.parse(manifest).links.db_primary).toEqual({
      provider: 'hashicorp',
      link: { engine: 'secret', path, key: 'db', 'json-pointer': '/primary/password' },
      allowedDomains: ['http://127.0.0.1'],
    });
    for (const secret of [...Object.values(values), token]) expect(manifest).not.toContain(secret);
  });

  it('CI: fresh vault, AppRole from the environment, VAULTLINK_LINKS; the collection gets the values; one read of the document', async () => {
    const ci = await sandbox({ initVault: false });
    const roleId = (await seed.request('GET', `auth/${approle}/role/ci/role-id`)).data.role_id as string;
    const secretId = (await seed.request('POST', `auth/${approle}/role/ci/secret-id`, {})).data.secret_id as string;
    const env = {
      CI: 'true',
      VAULT_ADDR: bao.addr,
      VAULT_ROLE_ID: roleId,
      VAULT_SECRET_ID: secretId,
      VAULTLINK_LINKS: join(repo, '.vaultlink', 'links.json'),
    };
    ok(await ci.run(['init'], { env }));
    ok(await ci.run(['connect', 'hashicorp', '--method', 'approle', '--approle-path', approle], { env }));
    const collectionFile = join(repo, 'api.postman_collection.json');
    await writeFile(
      collectionFile,
      JSON.stringify({
        info: { name: 'ci', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [
          {
            name: 'call',
            request: {
              method: 'GET',
              url: `${recorder.origin}/db`,
              header: [
                { key: 'X-Primary', value: '{{vault:db_primary}}' },
                { key: 'X-Replica', value: '{{vault:db_replica}}' },
                { key: 'Authorization', value: 'Bearer {{vault:api}}' },
              ],
            },
          },
        ],
      }),
    );
    const reads = () => countAuditRequests(bao.auditLog!, { path: `secret/data/${path}`, operation: 'read' });
    const before = reads();
    const run = ok(await ci.run(['run', collectionFile], { env, cwd: repo }));
    expect(reads() - before).toBe(1);
    expect(recorder.headers).toHaveLength(1);
    expect(recorder.headers[0]).toMatchObject({
      'x-primary': values.primary,
      'x-replica': values.replica,
      authorization: `Bearer ${values.api}`,
    });
    for (const secret of [...Object.values(values), secretId]) expect(run.stdout + run.stderr).not.toContain(secret);

    // The same job with `links sync` instead: the links land in the ephemeral vault.
    const synced = ok(await ci.run(['links', 'sync', '--file', env.VAULTLINK_LINKS], { env: { ...env, VAULTLINK_LINKS: undefined } }));
    expect(synced.stdout).toMatch(/^\+\s+db_primary\s+hashicorp/m);
    expect(ok(await ci.run(['resolve', '-'], { input: '{{vault:db_replica}}', env: { ...env, VAULTLINK_LINKS: undefined } })).stdout).toBe(
      values.replica,
    );
    await expectNoLeaks(ci, [values.primary, values.replica, secretId]);
  });
});

describe('moto: env credentials, links sync, two pointers cost one GetSecretValue', () => {
  const seeder = motoSeeder(motoAuth);
  const values = { primary: uniqueValue('aws-primary'), replica: uniqueValue('aws-replica') };
  let proxy: CountingProxy;
  let arn = '';
  let reader: { accessKeyId: string; secretAccessKey: string };

  beforeAll(async () => {
    proxy = await startCountingProxy(motoAuth.endpoint);
    const name = uniqueValue('team').replace(/[^A-Za-z0-9-]/g, '');
    arn = (
      await seeder.createSecret(
        `${name}/config`,
        JSON.stringify({ db: { primary: { password: values.primary }, replica: { password: values.replica } } }),
      )
    ).arn;
    reader = await seeder.createUserWithPolicy(`${name}-reader`, [
      allow(['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'secretsmanager:DescribeSecret']),
    ]);
  });
  afterAll(async () => {
    seeder.destroy();
    await proxy?.close();
  });

  async function awsSandbox(options: { initVault?: boolean } = {}): Promise<Sandbox> {
    const made = await sandbox(options);
    applyAwsEnv(made.env, proxy.url);
    return made;
  }

  it('a member exports pointer links; CI signs in from the environment, syncs and resolves with one read', async () => {
    const member = await awsSandbox();
    const repo = join(member.root, 'repo');
    await mkdir(repo, { recursive: true });
    ok(
      await member.run(
        ['connect', 'aws', '--access-key-id', reader.accessKeyId, '--secret-access-key-stdin', '--region', motoAuth.region],
        { input: reader.secretAccessKey },
      ),
    );
    ok(await member.run(['link', 'db_primary', '--provider', 'aws', '--arn', arn, '--json-pointer', '/db/primary/password']));
    ok(
      await member.run([
        'link',
        'db_replica',
        '--provider',
        'aws',
        '--arn',
        arn,
        '--json-key',
        'db',
        '--json-pointer',
        '/replica/password',
      ]),
    );
    ok(await member.run(['links', 'export'], { cwd: repo }));
    const manifestFile = join(repo, '.vaultlink', 'links.json');
    const manifest = await readFile(manifestFile, 'utf8');
    for (const secret of [...Object.values(values), reader.secretAccessKey]) expect(manifest).not.toContain(secret);

    const ci = await awsSandbox({ initVault: false });
    const env = {
      CI: 'true',
      AWS_ACCESS_KEY_ID: reader.accessKeyId,
      AWS_SECRET_ACCESS_KEY: reader.secretAccessKey,
      AWS_REGION: motoAuth.region,
    };
    ok(await ci.run(['init'], { env }));
    ok(await ci.run(['connect', 'aws', '--from-env'], { env }));
    const sync = ok(await ci.run(['links', 'sync'], { env, cwd: repo }));
    expect(sync.stderr).toContain('2 added, 0 changed, 0 unchanged, 0 kept');
    const before = proxy.count('GetSecretValue') + proxy.count('BatchGetSecretValue');
    const resolved = ok(await ci.run(['resolve', '-'], { input: '{{vault:db_primary}}/{{vault:db_replica}}', env }));
    expect(resolved.stdout).toBe(`${values.primary}/${values.replica}`);
    expect(proxy.count('GetSecretValue') + proxy.count('BatchGetSecretValue') - before).toBe(1);
    const listed = ok(await ci.run(['list'], { env }));
    expect(listed.stdout).toMatch(/db_replica\s+aws\s+.*jsonKey=db jsonPointer=\/replica\/password/);
    await expectNoLeaks(ci, [values.primary, values.replica, reader.secretAccessKey]);
    await expectNoLeaks(member, [values.primary, values.replica, reader.secretAccessKey]);
  });
});
