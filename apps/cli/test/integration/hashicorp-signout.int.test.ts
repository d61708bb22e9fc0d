/**
 * HashiCorp sign-out rules and team-level disconnect, with the built CLI against OpenBao:
 * - logout/disconnect revoke only tokens vaultlink minted (AppRole login here; OIDC in
 *   hashicorp.int.test.ts); a token the user brought (--token-stdin, ~/.vault-token, an admin's
 *   root-policy token) is only forgotten and still answers lookup-self afterwards;
 * - a personal Vault connection works without a team file (token and AppRole with --vault-addr);
 * - an admin's team-level disconnect reaches another member (own VAULTLINK_HOME, same team
 *   file): their references become UNRESOLVED (disconnected) with a fix, also when the team
 *   settings change under them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { createSandbox, jsonError, uniqueSuffix, uniqueValue, type RunResult, type Sandbox } from '../helpers/sandbox.js';

const peer = requirePeer('openbao');
if (!peer) throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the OpenBao peer');
const bao = openBaoSeeder(peer);

const suffix = uniqueSuffix('so');
const names = {
  policy: `so-read-${suffix}`,
  approle: `so-approle-${suffix}`,
  oidc: `so-${suffix}`,
  jwtPath: `so-jwt-${suffix}`,
  teamPolicy: `so-team-${suffix}`,
  path: `so-${suffix}/app`,
};
const value = uniqueValue('so-value');
const NO_VAULT_ENV = {
  VAULT_TOKEN: undefined,
  VAULT_ADDR: undefined,
  VAULT_NAMESPACE: undefined,
  VAULT_ROLE_ID: undefined,
  VAULT_SECRET_ID: undefined,
};
const sandboxes: Sandbox[] = [];
const tokens: string[] = [];

const run = (sandbox: Sandbox, args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}) =>
  sandbox.run(args, { ...options, env: { ...NO_VAULT_ENV, ...options.env } });
const revokes = () => countAuditRequests(peer.auditLog!, { path: 'auth/token/revoke-self' });

/** lookup-self as `token`: the token's policies, or the HTTP status Vault refused it with. */
async function lookup(token: string): Promise<string[] | number> {
  try {
    return (await bao.request('GET', 'auth/token/lookup-self', undefined, { as: token })).data.policies as string[];
  } catch (error) {
    return (error as { status: number }).status;
  }
}

async function newToken(policies: string[]): Promise<string> {
  const { token } = await bao.createToken({ policies, ttl: '30m' });
  tokens.push(token);
  return token;
}

async function sandbox(): Promise<Sandbox> {
  const created = await createSandbox();
  sandboxes.push(created);
  return created;
}

function ok(result: RunResult): RunResult {
  expect(result.code, `vaultlink ${result.args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

beforeAll(async () => {
  await bao.kvPut('secret', names.path, { token: value });
  await bao.writePolicy(names.policy, `path "secret/data/${names.path}" { capabilities = ["read"] }`);
  await bao.request('POST', `sys/auth/${names.approle}`, { type: 'approle' });
  await bao.request('POST', `auth/${names.approle}/role/ci`, { token_policies: [names.policy], token_ttl: '20m' });
});

afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.cleanup()));
});

describe('personal connections (no team file) and what sign-out revokes', () => {
  it('--method token --token-stdin with --vault-addr works without a team file; logout only forgets the token', async () => {
    const me = await sandbox();
    const token = await newToken([names.policy]);
    const connect = ok(
      await run(me, ['connect', 'hashicorp', '--method', 'token', '--token-stdin', '--vault-addr', peer.addr], { input: token }),
    );
    expect(connect.stderr).toContain('Connected to HashiCorp Vault');
    ok(await run(me, ['link', 'api', '--provider', 'hashicorp', '--engine', 'secret', '--path', names.path, '--key', 'token']));
    expect(ok(await run(me, ['get', 'api'])).stdout).toBe(value);

    const before = revokes();
    const logout = ok(await run(me, ['logout', 'hashicorp']));
    expect(logout.stderr).toContain('only forgotten here, not revoked');
    expect(revokes() - before).toBe(0);
    expect(await lookup(token)).toContain(names.policy);
    const json = JSON.parse(ok(await run(me, ['--json', 'disconnect', 'hashicorp'])).stdout);
    expect(json).toMatchObject({ disconnected: 'hashicorp', revoked: null });
    expect(await lookup(token)).toContain(names.policy);
  });

  it('a token from ~/.vault-token is only forgotten by disconnect', async () => {
    const me = await sandbox();
    const token = await newToken([names.policy]);
    await writeFile(join(me.root, '.vault-token'), `${token}\n`);
    ok(await run(me, ['connect', 'hashicorp', '--method', 'token', '--vault-addr', peer.addr], { env: { HOME: me.root } }));
    const before = revokes();
    const disconnect = ok(await run(me, ['--json', 'disconnect', 'hashicorp'], { env: { HOME: me.root } }));
    expect(JSON.parse(disconnect.stdout)).toMatchObject({ revoked: false, note: expect.stringContaining('only forgotten') });
    expect(revokes() - before).toBe(0);
    expect(await lookup(token)).toContain(names.policy);
  });

  it('AppRole with --vault-addr works without a team file; logout revokes the token vaultlink minted', async () => {
    const me = await sandbox();
    const roleId = (await bao.request('GET', `auth/${names.approle}/role/ci/role-id`)).data.role_id as string;
    const secretId = (await bao.request('POST', `auth/${names.approle}/role/ci/secret-id`, {})).data.secret_id as string;
    ok(
      await run(
        me,
        [
          'connect',
          'hashicorp',
          '--method',
          'approle',
          '--approle-path',
          names.approle,
          '--role-id',
          roleId,
          '--secret-id-stdin',
          '--vault-addr',
          peer.addr,
        ],
        { input: secretId },
      ),
    );
    ok(await run(me, ['link', 'api', '--provider', 'hashicorp', '--engine', 'secret', '--path', names.path, '--key', 'token']));
    expect(ok(await run(me, ['get', 'api'])).stdout).toBe(value);
    const before = revokes();
    const logout = ok(await run(me, ['logout', 'hashicorp']));
    expect(logout.stderr).toContain('revoked upstream');
    expect(revokes() - before).toBe(1);
    expect(jsonError(await run(me, ['--json', 'get', 'api'])).code).toBe('REAUTH_REQUIRED');
  });

  it('without a team file and without --vault-addr, connect names the missing address and the personal-connection fix', async () => {
    const me = await sandbox();
    const result = await run(me, ['--json', 'connect', 'hashicorp', '--method', 'token', '--token-stdin'], { input: 'not-used-token' });
    expect(result.code).toBe(2);
    expect(jsonError(result)).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: 'vault-addr' })],
      fix: expect.stringContaining('--vault-addr'),
    });
  });
});

describe('a team-level disconnect reaches members (two homes, one team file)', () => {
  let admin: Sandbox;
  let member: Sandbox;
  let adminToken: string;
  let memberToken: string;
  let teamFile: string;

  /** The admin sets up the team integration with the token they brought. */
  const bootstrapTeam = async (): Promise<void> => {
    const args = ['--vault-addr', peer.addr, '--oidc-name', names.oidc, '--jwt-path', names.jwtPath, '--policy-name', names.teamPolicy];
    ok(await run(admin, ['setup', 'hashicorp', '--bootstrap', ...args, '--admin-token-stdin'], { input: adminToken }));
  };

  beforeAll(async () => {
    admin = await sandbox();
    member = await sandbox();
    teamFile = admin.env.VAULTLINK_TEAM_CONFIG!;
    member.env.VAULTLINK_TEAM_CONFIG = teamFile; // same workspace, own VAULTLINK_HOME
    adminToken = await newToken(['root']); // a root-policy token the admin brought: never to be revoked by vaultlink
    memberToken = await newToken([names.policy]);
    await bootstrapTeam();
    ok(await run(admin, ['connect', 'hashicorp', '--method', 'token', '--token-stdin'], { input: adminToken }));
    ok(await run(member, ['connect', 'hashicorp', '--method', 'token', '--token-stdin'], { input: memberToken }));
    ok(await run(member, ['link', 'api', '--provider', 'hashicorp', '--engine', 'secret', '--path', names.path, '--key', 'token']));
  });

  it('the member reads while the team integration stands', async () => {
    expect(ok(await run(member, ['get', 'api'])).stdout).toBe(value);
    expect(JSON.parse(ok(await run(member, ['--json', 'list'])).stdout)[0]).toMatchObject({ name: 'api', state: 'enabled' });
  });

  it("the admin's disconnect keeps the admin's own (root-policy) token valid", async () => {
    const before = revokes();
    const result = ok(await run(admin, ['disconnect', 'hashicorp', '--admin-token-stdin'], { input: adminToken }));
    expect(result.stderr).toContain('only forgotten here, not revoked');
    expect(revokes() - before).toBe(0);
    expect(await lookup(adminToken)).toContain('root');
  });

  it("then the member's reference is UNRESOLVED (disconnected) with a fix, and list/integrations say so", async () => {
    const get = await run(member, ['--json', 'get', 'api']);
    expect(get.code).toBe(4);
    expect(jsonError(get)).toMatchObject({
      code: 'UNRESOLVED',
      details: { reason: 'disconnected' },
      fix: expect.stringContaining('vaultlink disconnect hashicorp'),
      fixAction: { action: 'disconnect', provider: 'hashicorp' },
    });
    expect(get.stdout).not.toContain(value);
    expect(JSON.parse(ok(await run(member, ['--json', 'list'])).stdout)[0]).toMatchObject({ name: 'api', state: 'disconnected' });
    const integrations = ok(await run(member, ['integrations']));
    expect(integrations.stdout).toContain('disconnected');
    expect(integrations.stderr).toContain('was removed');
    expect(integrations.stderr).toContain('Fix: vaultlink disconnect hashicorp (drops your session');
    const [listed] = JSON.parse(ok(await run(member, ['--json', 'integrations'])).stdout);
    expect(listed.disconnected).toMatchObject({
      fix: expect.stringContaining('vaultlink disconnect hashicorp'),
      fixAction: { action: 'disconnect', provider: 'hashicorp' },
    });
    const resolved = await run(member, ['resolve', '-'], { input: 'X-Key: {{vault:api}}\n' });
    expect(resolved.code).toBe(4);
    expect(resolved.stderr).toContain('api: disconnected');
  });

  it("team settings other than the member's session: disconnected, fixed by reauth", async () => {
    await bootstrapTeam();
    // Bootstrap is idempotent: the same settings again, so the member's session applies again.
    expect(ok(await run(member, ['get', 'api'])).stdout).toBe(value);
    const team = JSON.parse(await readFile(teamFile, 'utf8'));
    team.integrations.hashicorp.role = `other-${suffix}`;
    await writeFile(teamFile, JSON.stringify(team));
    const get = await run(member, ['--json', 'get', 'api']);
    expect(get.code).toBe(4);
    expect(jsonError(get)).toMatchObject({ code: 'UNRESOLVED', details: { reason: 'disconnected' }, fix: 'vaultlink reauth hashicorp' });
    ok(await run(member, ['reauth', 'hashicorp', '--token-stdin'], { input: memberToken }));
    expect(ok(await run(member, ['get', 'api'])).stdout).toBe(value);
  });

  it('no token or value in any output but get stdout', async () => {
    const secrets = [value, adminToken, memberToken, ...tokens];
    for (const box of sandboxes) {
      for (const result of box.transcript) {
        const outputs = result.args.includes('get') ? [result.stderr] : [result.stdout, result.stderr];
        for (const text of outputs)
          for (const secret of secrets) expect(text.includes(secret), `${result.args.join(' ')} printed a secret`).toBe(false);
      }
    }
  });
});
