/**
 * The Vault-side setup of the guide ("Integrate with HashiCorp Vault"), end to end against
 * OpenBao: the guide's commands (as HTTP calls, with the guide's admin and read policies),
 * `setup --bootstrap`, and `setup --print-commands` run with the real `bao` CLI. Each ends
 * with a member's OIDC sign-in (the browser played through Vault's authorize endpoint) and
 * a KV v2 read with the resulting Vault token.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { isVaultError, type TeamSettings, readLinks } from '@vault/core/provider';
import { createHashicorpProvider, type HashicorpSession } from '../../src/index.js';
import { SEED_ADMIN_POLICY, SEED_READ_POLICY, freePort, openBaoPeer, playBrowser, seeder, uniq } from '../support/bao.js';
import { recordingIO, setupRecorded } from '../support/io.js';

const run = promisify(execFile);
const peer = openBaoPeer();
const root = seeder(peer);

let adminToken: string;
let memberToken: string;
const secretPath = uniq('seed-app');
const secretValue = `v-${uniq('api-token')}`;

beforeAll(async () => {
  // The guide's admin policy, verbatim: setup must work with exactly these rights.
  const adminPolicy = uniq('seed-admin');
  await root.writePolicy(adminPolicy, SEED_ADMIN_POLICY);
  adminToken = (await root.createToken({ policies: [adminPolicy], ttl: '1h', displayName: 'seed-admin' })).token;
  await root.kvPut('secret', secretPath, { 'api-token': secretValue, user: 'svc' });
  // A member: the userpass login creates the identity entity Vault needs before it authorizes.
  await root.enableUserpass();
  const user = uniq('alice');
  await root.createUser(user, 'pw-not-secret-in-test');
  memberToken = (await root.login(user, 'pw-not-secret-in-test')).token;
});

/** Signs the member in with the provider's OIDC method, playing the browser. */
async function connectAsMember(team: TeamSettings) {
  const provider = createHashicorpProvider();
  const browser: { status?: number; url?: string } = {};
  const io = recordingIO({
    onBrowser: async (url) => {
      browser.url = url;
      browser.status = (await playBrowser(url, memberToken)).redirectStatus;
    },
  });
  const session = (await provider.authenticate({ loginTimeout: '30' }, io, { team })) as HashicorpSession;
  return { provider, session, browser, io };
}

async function expectWorkingTokenThatReads(connected: Awaited<ReturnType<typeof connectAsMember>>, policy: string) {
  const { provider, session, browser } = connected;
  expect(browser.status).toBe(200);
  // The authorization request vaultlink built: code flow, PKCE S256, state, nonce.
  const query = new URL(browser.url!).searchParams;
  expect(query.get('response_type')).toBe('code');
  expect(query.get('scope')).toBe('openid');
  expect(query.get('code_challenge_method')).toBe('S256');
  expect(query.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(query.get('state')).toBeTruthy();
  expect(query.get('nonce')).toBeTruthy();

  expect(session.data.method).toBe('oidc');
  expect(session.expiresAt && Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
  // The token is a real Vault token carrying the role's policy.
  const self = await root.request('GET', 'auth/token/lookup-self', undefined, { as: session.data.token });
  expect(self.data.policies).toContain(policy);
  expect(self.data.meta?.role ?? self.data.metadata?.role).toBeDefined();

  const link = provider.parseLink({ engine: 'secret', path: secretPath, key: 'api-token' });
  const [result] = await readLinks(provider, [link], session, { signal: new AbortController().signal });
  expect(result).toEqual({ ok: true, value: secretValue, version: '1' });
}

describe("the guide's Vault-side commands, then setup and an OIDC sign-in", () => {
  it("works with the guide's admin policy, read policy and role", async () => {
    const as = root.with({ token: adminToken });
    const app = uniq('postman');
    const jwtPath = uniq('postman-jwt');
    const policy = uniq('postman-read');
    const redirectUri = `http://localhost:${await freePort()}/oidc/callback`;

    // vault write identity/oidc/client/<app> client_type=public assignments=allow_all
    // (plus redirect_uris: the guide leaves it out, but Vault only redirects to registered URIs)
    await as.request('POST', `identity/oidc/client/${app}`, {
      client_type: 'public',
      assignments: 'allow_all',
      redirect_uris: redirectUri,
    });
    // vault read -field=client_id identity/oidc/client/<app>
    const clientId: string = (await as.request('GET', `identity/oidc/client/${app}`)).data.client_id;
    // vault write identity/oidc/provider/<app> allowed_client_ids="<id>" issuer="<vault-url>"
    await as.request('POST', `identity/oidc/provider/${app}`, { allowed_client_ids: clientId, issuer: peer.addr });
    // The issuer lives on the provider (the guide says "client", which has no issuer field).
    const issuer: string = (await as.request('GET', `identity/oidc/provider/${app}`)).data.issuer;
    // vault write /sys/auth/postman-jwt type="jwt"
    await as.request('POST', `sys/auth/${jwtPath}`, { type: 'jwt' });
    // vault write auth/postman-jwt/config oidc_discovery_url="<oidc-provider-url>" default_role=postman
    await as.request('POST', `auth/${jwtPath}/config`, { oidc_discovery_url: issuer, default_role: 'postman' });
    // vault write sys/policy/<policy-name> policy='...'
    await as.request('POST', `sys/policy/${policy}`, { policy: SEED_READ_POLICY });
    // vault write auth/postman-jwt/role/postman bound_audiences=... user_claim=sub token_policies=... role_type=jwt
    await as.request('POST', `auth/${jwtPath}/role/postman`, {
      bound_audiences: clientId,
      user_claim: 'sub',
      token_policies: policy,
      role_type: 'jwt',
    });

    const admin = createHashicorpProvider();
    const team = await setupRecorded(
      admin,
      { oidcProviderUrl: issuer, jwtPath, clientId, role: 'postman', redirectUri, adminToken },
      recordingIO(),
      {},
    );
    expect(team).toEqual({ oidcProviderUrl: issuer, jwtPath, clientId, role: 'postman', redirectUri });
    expect(new URL(issuer).origin).toBe(peer.addr);

    await expectWorkingTokenThatReads(await connectAsMember(team), policy);
  });
});

describe('setup --bootstrap', () => {
  it("performs the guide's setup idempotently with the guide's admin policy, then members sign in", async () => {
    const names = { oidcName: uniq('vl'), jwtPath: uniq('vl-jwt'), role: 'vaultlink', policyName: uniq('vl-read') };
    const redirectUri = `http://localhost:${await freePort()}/oidc/callback`;
    const fields = { bootstrap: true, vaultAddr: peer.addr, adminToken, redirectUri, ...names };

    const first = await setupRecorded(createHashicorpProvider(), fields, recordingIO(), {});
    expect(first).toMatchObject({ jwtPath: names.jwtPath, role: 'vaultlink', redirectUri });
    expect(first['oidcProviderUrl']).toBe(`${peer.addr}/v1/identity/oidc/provider/${names.oidcName}`);

    const client = await root.request('GET', `identity/oidc/client/${names.oidcName}`);
    expect(client.data).toMatchObject({
      client_type: 'public',
      redirect_uris: [redirectUri],
      assignments: ['allow_all'],
      client_id: first['clientId'],
    });
    const role = await root.request('GET', `auth/${names.jwtPath}/role/vaultlink`);
    expect(role.data).toMatchObject({
      role_type: 'jwt',
      bound_audiences: [first['clientId']],
      user_claim: 'sub',
      token_policies: [names.policyName],
    });
    const config = await root.request('GET', `auth/${names.jwtPath}/config`);
    expect(config.data.oidc_discovery_url).toBe(first['oidcProviderUrl']);
    const policy = await root.request('GET', `sys/policy/${names.policyName}`);
    expect(policy.data.rules).toContain('path "sys/*"');

    // Again: same client, same issuer, nothing duplicated or replaced.
    const second = await setupRecorded(createHashicorpProvider(), fields, recordingIO(), {});
    expect(second).toEqual(first);
    expect((await root.request('GET', `identity/oidc/client/${names.oidcName}`)).data.client_id).toBe(first['clientId']);

    await expectWorkingTokenThatReads(await connectAsMember(first), names.policyName);
  });

  it('refuses a member token with ADMIN_REQUIRED naming the missing paths', async () => {
    const provider = createHashicorpProvider();
    const error = await provider.setup!(
      {
        bootstrap: true,
        vaultAddr: peer.addr,
        adminToken: memberToken,
        redirectUri: 'http://localhost:8250/oidc/callback',
        jwtPath: 'x-jwt',
      },
      recordingIO(),
      {},
    ).catch((e: unknown) => e);
    expect(isVaultError(error, 'ADMIN_REQUIRED')).toBe(true);
    const message = (error as Error).message;
    for (const path of [
      'identity/oidc/client/vaultlink',
      'identity/oidc/provider/vaultlink',
      'sys/auth/x-jwt',
      'auth/x-jwt/config',
      'auth/x-jwt/role/vaultlink',
      'sys/policy/vaultlink-read',
    ]) {
      expect(message).toContain(path);
    }
    // Nothing was created.
    expect(await root.request('GET', 'identity/oidc/client/vaultlink', undefined, { allow404: true })).toBeNull();
  });
});

describe('a sign-in that must not succeed', () => {
  it('a redirect with the wrong state, or with error=access_denied, is AUTH_FAILED; no redirect at all is TIMEOUT', async () => {
    const redirectUri = `http://localhost:${await freePort()}/oidc/callback`;
    const team = await setupRecorded(
      createHashicorpProvider(),
      {
        bootstrap: true,
        vaultAddr: peer.addr,
        adminToken,
        redirectUri,
        oidcName: uniq('neg'),
        jwtPath: uniq('neg-jwt'),
        policyName: uniq('neg-read'),
      },
      recordingIO(),
      {},
    );
    const attempt = async (tamper: (redirect: URL, code: string, state: string) => void) => {
      const io = recordingIO({
        onBrowser: async (url) => {
          const u = new URL(url);
          const answer = await fetch(`${u.origin}${u.pathname.replace(/^\/ui\/vault\//, '/v1/')}${u.search}`, {
            headers: { 'X-Vault-Token': memberToken },
          });
          const { code } = (await answer.json()) as { code: string };
          const redirect = new URL(redirectUri);
          tamper(redirect, code, u.searchParams.get('state')!);
          await fetch(redirect);
        },
      });
      return createHashicorpProvider()
        .authenticate({ loginTimeout: '30' }, io, { team })
        .catch((e: unknown) => e);
    };
    const wrongState = await attempt((r, code) => {
      r.searchParams.set('code', code);
      r.searchParams.set('state', 'not-the-state-vaultlink-sent');
    });
    expect(isVaultError(wrongState, 'AUTH_FAILED')).toBe(true);
    expect((wrongState as Error).message).toMatch(/state/i);
    const denied = await attempt((r, _code, state) => {
      r.searchParams.set('state', state);
      r.searchParams.set('error', 'access_denied');
      r.searchParams.set('error_description', 'the user said no');
    });
    expect(isVaultError(denied, 'AUTH_FAILED')).toBe(true);
    expect((denied as Error).message).toContain('access_denied');
    // A browser that never comes back: TIMEOUT with the fix to give the person more time.
    const abandoned = await createHashicorpProvider()
      .authenticate({ loginTimeout: '1' }, recordingIO({ onBrowser: async () => undefined }), { team })
      .catch((e: unknown) => e);
    expect(abandoned).toMatchObject({
      code: 'TIMEOUT',
      message: `No sign-in arrived at ${redirectUri} within 1 s.`,
      fix: { action: 'connect', provider: 'hashicorp', flags: { 'login-timeout': 'SECONDS' } },
    });
  });
});

describe('setup --print-commands', () => {
  it('prints commands that, run with the bao CLI, give a working setup', async () => {
    const names = { oidcName: uniq('pc'), jwtPath: uniq('pc-jwt'), role: 'vaultlink', policyName: uniq('pc-read') };
    const redirectUri = `http://localhost:${await freePort()}/oidc/callback`;
    const io = recordingIO();
    const settings = await createHashicorpProvider().setup!({ printCommands: true, vaultAddr: peer.addr, redirectUri, ...names }, io, {});
    // Nothing to record before the admin ran them (no client_id or issuer yet): null, nothing written.
    expect(settings).toBeNull();
    const script = io.messages.join('\n');
    expect(script).toContain(
      `vault write identity/oidc/client/${names.oidcName} client_type=public assignments=allow_all redirect_uris=${redirectUri}`,
    );

    const dir = await mkdtemp(join(tmpdir(), 'vl-print-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    // `vault` → `bao` (same commands); `vaultlink` records the setup line it would run.
    const prelude = `set -euo pipefail\nvault() { "${process.env['BAO_BIN'] ?? join(__dirname, '../../../../.peers/venv/bin/bao')}" "$@"; }\nvaultlink() { printf '%s\\n' "$@" > ${join(dir, 'setup-args')}; }\n`;
    await writeFile(join(dir, 'setup.sh'), `${prelude}${script}\n`);
    await run('bash', [join(dir, 'setup.sh')], {
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, VAULT_TOKEN: adminToken },
      timeout: 60_000,
    });

    const args = (await readFile(join(dir, 'setup-args'), 'utf8')).trim().split('\n');
    const flag = (name: string) => args[args.indexOf(`--${name}`) + 1]!;
    expect(args.slice(0, 2)).toEqual(['setup', 'hashicorp']);
    const team = await setupRecorded(
      createHashicorpProvider(),
      {
        oidcProviderUrl: flag('oidc-provider-url'),
        clientId: flag('client-id'),
        jwtPath: flag('jwt-path'),
        role: flag('role'),
        redirectUri: flag('redirect-uri'),
        adminToken,
      },
      recordingIO(),
      {},
    );
    expect(team['oidcProviderUrl']).toBe(`${peer.addr}/v1/identity/oidc/provider/${names.oidcName}`);
    await expectWorkingTokenThatReads(await connectAsMember(team), names.policyName);
  });
});

describe('team-level disconnect (teardown)', () => {
  it('needs an admin token: a member token gets ADMIN_REQUIRED, the admin token passes', async () => {
    const provider = createHashicorpProvider();
    const team = {
      oidcProviderUrl: `${peer.addr}/v1/identity/oidc/provider/vaultlink`,
      jwtPath: 'vaultlink-jwt',
      clientId: 'unused',
      role: 'vaultlink',
      redirectUri: 'http://localhost:8250/oidc/callback',
    };
    const call = () => ({ signal: new AbortController().signal, timeoutMs: 15_000 });
    const denied = await provider.teardown!(team, { adminToken: memberToken }, recordingIO(), call()).catch((e: unknown) => e);
    expect(isVaultError(denied, 'ADMIN_REQUIRED')).toBe(true);
    const missing = await provider.teardown!(team, {}, recordingIO(), call()).catch((e: unknown) => e);
    expect(isVaultError(missing, 'ADMIN_REQUIRED')).toBe(true);
    await expect(provider.teardown!(team, { adminToken }, recordingIO(), call())).resolves.toBeUndefined();
  });
});
