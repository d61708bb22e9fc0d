/**
 * The HashiCorp Vault paths of the built CLI against OpenBao: an admin's `setup --bootstrap`,
 * a member's `connect` (with --no-browser: the test reads the authorization URL from stderr,
 * plays the browser through Vault's authorize endpoint with the member's token and delivers
 * the code to the CLI's loopback redirect), `link`, `get`, `show`, `resolve`, `reauth`,
 * `logout` and the admin-only `disconnect`. No secret value may appear in any output other
 * than the stdout of `get`/`resolve`, nor in any file under VAULTLINK_HOME or the team config.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { runWithBrowser as playBrowser } from '../helpers/browser.js';
import { createSandbox, uniqueSuffix, uniqueValue, type RunResult, type Sandbox } from '../helpers/sandbox.js';

const peer = requirePeer('openbao');
if (!peer) throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the OpenBao peer');
const bao = openBaoSeeder(peer);

const suffix = uniqueSuffix('hc');
const names = { oidc: `cli-${suffix}`, jwtPath: `cli-jwt-${suffix}`, policy: `cli-read-${suffix}`, secretPath: `cli-${suffix}/app` };
const values = { token: uniqueValue('hc-api-token'), user: uniqueValue('hc-user'), old: uniqueValue('hc-old-token') };
const NO_VAULT_ENV = { VAULT_TOKEN: undefined, VAULT_ADDR: undefined, VAULT_NAMESPACE: undefined };

let sandbox: Sandbox;
let memberToken: string;
let redirectPort: number;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function runWithBrowser(args: string[]): Promise<RunResult & { redirectStatus?: number }> {
  return playBrowser(sandbox, args, { memberToken, env: withoutVaultEnv(sandbox.env) });
}

function withoutVaultEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('VAULT_')));
}

const run = (args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}) =>
  sandbox.run(args, { ...options, env: { ...NO_VAULT_ENV, ...options.env } });

const teamFile = () => sandbox.env['VAULTLINK_TEAM_CONFIG']!;

beforeAll(async () => {
  sandbox = await createSandbox();
  redirectPort = await freePort();
  await bao.kvPutVersions('secret', names.secretPath, [{ token: values.old }, { token: values.token, user: values.user }]);
  await bao.enableUserpass();
  const user = `member-${suffix}`;
  await bao.createUser(user, 'member-password-not-a-value');
  memberToken = (await bao.login(user, 'member-password-not-a-value')).token;
});

afterAll(async () => {
  await sandbox?.cleanup();
});

describe('vaultlink with HashiCorp Vault (OpenBao)', () => {
  it('setup refuses a member token with ADMIN_REQUIRED (exit 3) and writes nothing', async () => {
    const result = await run(
      [
        '--json',
        'setup',
        'hashicorp',
        '--bootstrap',
        '--vault-addr',
        peer.addr,
        '--admin-token-stdin',
        '--oidc-name',
        names.oidc,
        '--jwt-path',
        names.jwtPath,
      ],
      { input: memberToken },
    );
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stderr.trim().split('\n').pop()!).error.code).toBe('ADMIN_REQUIRED');
    await expect(readFile(teamFile(), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('setup --print-commands prints the vault commands, exits 0 and writes nothing', async () => {
    const result = await run([
      'setup',
      'hashicorp',
      '--print-commands',
      '--vault-addr',
      peer.addr,
      '--oidc-name',
      names.oidc,
      '--jwt-path',
      names.jwtPath,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`vault write sys/auth/${names.jwtPath} type=jwt`);
    expect(result.stderr).toContain('Nothing was written');
    await expect(readFile(teamFile(), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('setup --bootstrap (admin token from VAULT_TOKEN) configures Vault and writes the team config', async () => {
    const result = await run(
      [
        'setup',
        'hashicorp',
        '--bootstrap',
        '--vault-addr',
        peer.addr,
        '--oidc-name',
        names.oidc,
        '--jwt-path',
        names.jwtPath,
        '--policy-name',
        names.policy,
        '--redirect-uri',
        `http://localhost:${redirectPort}/oidc/callback`,
      ],
      { env: { VAULT_TOKEN: peer.rootToken } },
    );
    expect(result.code, result.stderr).toBe(0);
    const team = JSON.parse(await readFile(teamFile(), 'utf8')).integrations.hashicorp;
    expect(team).toMatchObject({
      oidcProviderUrl: `${peer.addr}/v1/identity/oidc/provider/${names.oidc}`,
      jwtPath: names.jwtPath,
      role: 'vaultlink',
      redirectUri: `http://localhost:${redirectPort}/oidc/callback`,
    });
    expect(team.clientId).toMatch(/^\w{20,}$/);
  });

  it('connect --no-browser prints the URL, takes the redirect and ends with a working session', async () => {
    const result = await runWithBrowser(['connect', 'hashicorp', '--no-browser', '--login-timeout', '60']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.redirectStatus).toBe(200);
    expect(result.stderr).toContain(`Connected to HashiCorp Vault as ${names.jwtPath}-`);
    const integrations = await run(['--json', 'integrations']);
    const [info] = JSON.parse(integrations.stdout);
    expect(info).toMatchObject({ provider: 'hashicorp', organization: peer.addr, expired: false, adminManaged: true });
    expect(Date.parse(info.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('link, get and show: the KV v2 value, a pinned version, metadata without the value', async () => {
    expect(
      (await run(['link', 'api', '--provider', 'hashicorp', '--engine', 'secret', '--path', names.secretPath, '--key', 'token'])).code,
    ).toBe(0);
    expect(
      (await run(['link', 'user', '--provider', 'hashicorp', '--engine', 'secret', '--path', names.secretPath, '--key', 'user'])).code,
    ).toBe(0);
    expect(
      (
        await run([
          'link',
          'old',
          '--provider',
          'hashicorp',
          '--engine',
          'secret',
          '--path',
          names.secretPath,
          '--key',
          'token',
          '--version',
          '1',
        ])
      ).code,
    ).toBe(0);

    expect((await run(['get', 'api'])).stdout.trim()).toBe(values.token);
    const old = await run(['get', 'old']);
    expect(old.stdout.trim(), old.stderr).toBe(values.old);

    const show = await run(['--json', 'show', 'api']);
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown.upstream).toMatchObject({
      engine: 'secret',
      kvVersion: 2,
      path: names.secretPath,
      key: 'token',
      version: 2,
      currentVersion: 2,
    });
    expect(Date.parse(shown.upstream.createdTime)).not.toBeNaN();
  });

  it('link rejects bad input listing every field (exit 2); get of a missing key lists key names (exit 4)', async () => {
    const bad = await run(['--json', 'link', 'bad', '--provider', 'hashicorp', '--engine', 'sys', '--path', 'a//b', '--version', 'x']);
    expect(bad.code).toBe(2);
    const error = JSON.parse(bad.stderr.trim().split('\n').pop()!).error;
    expect(error.code).toBe('INVALID_LINK');
    expect(error.issues.map((i: { field: string }) => i.field)).toEqual(['engine', 'path', 'key', 'version']);

    expect(
      (await run(['link', 'nokey', '--provider', 'hashicorp', '--engine', 'secret', '--path', names.secretPath, '--key', 'password'])).code,
    ).toBe(0);
    const missing = await run(['--json', 'get', 'nokey']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('Keys there: token, user.');
    expect((await run(['rm', 'nokey'])).code).toBe(0);
  });

  it('resolve fills references; two keys of one path cost one read of that path', async () => {
    const template = join(sandbox.root, 'request.txt');
    await writeFile(template, 'Authorization: Bearer {{vault:api}}\nX-User: {{vault:user}}\nX-Again: {{vault:api}}\n');
    const before = countAuditRequests(peer.auditLog!, { path: `secret/data/${names.secretPath}` });
    const result = await run(['resolve', template]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Authorization: Bearer ${values.token}\nX-User: ${values.user}\nX-Again: ${values.token}\n`);
    expect(countAuditRequests(peer.auditLog!, { path: `secret/data/${names.secretPath}` }) - before).toBe(1);
  });

  it('reauth signs in again through the browser', async () => {
    const result = await runWithBrowser(['reauth', 'hashicorp', '--no-browser', '--login-timeout', '60']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.redirectStatus).toBe(200);
    expect((await run(['get', 'user'])).stdout.trim()).toBe(values.user);
  });

  it("logout revokes the member's token; the team integration stays", async () => {
    const revokes = () => countAuditRequests(peer.auditLog!, { path: 'auth/token/revoke-self' });
    const before = revokes();
    expect((await run(['logout', 'hashicorp'])).code).toBe(0);
    expect(revokes() - before).toBe(1);
    const after = await run(['--json', 'get', 'api']);
    expect(after.code).toBe(3);
    expect(JSON.parse(await readFile(teamFile(), 'utf8')).integrations.hashicorp).toBeDefined();
  });

  it('disconnect needs the admin token; then references are unresolved', async () => {
    const noToken = await run(['--json', 'disconnect', 'hashicorp']);
    expect(noToken.code).toBe(3);
    expect(JSON.parse(noToken.stderr.trim().split('\n').pop()!).error.code).toBe('ADMIN_REQUIRED');
    const member = await run(['--json', 'disconnect', 'hashicorp', '--admin-token-stdin'], { input: memberToken });
    expect(member.code).toBe(3);
    expect(JSON.parse(await readFile(teamFile(), 'utf8')).integrations.hashicorp).toBeDefined();

    const admin = await run(['disconnect', 'hashicorp', '--admin-token-stdin'], { input: peer.rootToken });
    expect(admin.code, admin.stderr).toBe(0);
    expect(JSON.parse(await readFile(teamFile(), 'utf8')).integrations.hashicorp).toBeUndefined();
    const unresolved = await run(['--json', 'get', 'api']);
    expect(unresolved.code).toBe(4);
  });

  it('no value and no admin token in any output but get/resolve stdout, nor in VAULTLINK_HOME or the team config', async () => {
    const secrets = [values.token, values.user, values.old, peer.rootToken];
    for (const result of sandbox.transcript) {
      const command = result.args.find((a) => !a.startsWith('-'));
      const outputs = command === 'get' || command === 'resolve' ? [result.stderr] : [result.stdout, result.stderr];
      for (const text of outputs)
        for (const secret of secrets) expect(text.includes(secret), `${result.args.join(' ')} printed a secret`).toBe(false);
    }
    const files = [teamFile(), ...(await listFiles(sandbox.home))];
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const content = await readFile(file);
      for (const secret of secrets) {
        for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')]) {
          expect(content.includes(form), `${file} holds a secret`).toBe(false);
        }
      }
    }
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
