/**
 * Sign-in methods beyond the guide (token, AppRole) and the token lifecycle: renew-self on
 * refresh (also under the guide's read policy, which denies auth/*), revoke-self on sign-out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVaultError, readLinks } from '@vault/core/provider';
import { createHashicorpProvider, type HashicorpSession } from '../../src/index.js';
import { SEED_READ_POLICY, openBaoPeer, seeder, uniq } from '../support/bao.js';
import { recordingIO } from '../support/io.js';

const peer = openBaoPeer();
const root = seeder(peer);
const base = uniq('methods');
const readPolicy = uniq('methods-read');
const approlePath = uniq('approle');
const signal = () => new AbortController().signal;
/** What core's gate hands every call: a signal and the per-request timeout. */
const call = () => ({ signal: signal(), timeoutMs: 15_000 });
const tempDirs: string[] = [];
const tempHome = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vl-home-'));
  tempDirs.push(dir);
  return dir;
};

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

beforeAll(async () => {
  await root.writePolicy(readPolicy, SEED_READ_POLICY);
  await root.kvPut('secret', `${base}/app`, { k: 'methods-value' });
  await root.request('POST', `sys/auth/${approlePath}`, { type: 'approle' });
  await root.request('POST', `auth/${approlePath}/role/ci`, { token_policies: [readPolicy], token_ttl: '20m' });
});

async function readWith(session: HashicorpSession) {
  const provider = createHashicorpProvider();
  return readLinks(provider, [provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'k' })], session, { signal: signal() });
}

describe('--method token', () => {
  it('takes the token from the flag/VAULT_TOKEN and builds the session from lookup-self', async () => {
    const { token } = await root.createToken({ policies: [readPolicy], ttl: '30m', displayName: 'ci-bot' });
    const session = (await createHashicorpProvider().authenticate(
      { method: 'token', token, vaultAddr: peer.addr },
      recordingIO(),
      {},
    )) as HashicorpSession;
    expect(session.principal).toContain('token-ci-bot');
    expect(session.data).toMatchObject({ method: 'token', renewable: true, vaultAddr: peer.addr });
    const ttl = Date.parse(session.expiresAt!) - Date.now();
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
    expect(await readWith(session)).toEqual([{ ok: true, value: 'methods-value', version: '1' }]);
  });

  it('falls back to ~/.vault-token, where `vault login` leaves it', async () => {
    const { token } = await root.createToken({ policies: [readPolicy], ttl: '30m' });
    const home = await tempHome();
    await writeFile(join(home, '.vault-token'), `${token}\n`);
    const session = (await createHashicorpProvider().authenticate(
      { method: 'token', vaultAddr: peer.addr },
      recordingIO({ env: { HOME: home } }),
      {},
    )) as HashicorpSession;
    expect(session.data.token).toBe(token);
  });

  it('without any token (and no terminal) fails with INVALID_INPUT naming the token sources', async () => {
    const home = await tempHome();
    const error = await createHashicorpProvider()
      .authenticate({ method: 'token', vaultAddr: peer.addr }, recordingIO({ env: { HOME: home } }), {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toContain('--token-stdin, VAULT_TOKEN or ~/.vault-token');
  });

  it('a token Vault rejects is AUTH_FAILED', async () => {
    const { token } = await root.createToken({ policies: [readPolicy], ttl: '30m' });
    await root.revokeToken(token);
    const error = await createHashicorpProvider()
      .authenticate({ method: 'token', token, vaultAddr: peer.addr }, recordingIO(), {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'AUTH_FAILED')).toBe(true);
    expect((error as Error).message).not.toContain(token);
  });

  it("with a team config, talks to the team's Vault whatever VAULT_ADDR says", async () => {
    const { token } = await root.createToken({ policies: [readPolicy], ttl: '30m' });
    const team = {
      oidcProviderUrl: `${peer.addr}/v1/identity/oidc/provider/x`,
      jwtPath: 'j',
      clientId: 'c',
      role: 'r',
      redirectUri: 'http://localhost:8250/oidc/callback',
    };
    const session = (await createHashicorpProvider().authenticate(
      { method: 'token', token, vaultAddr: 'http://127.0.0.1:1' },
      recordingIO(),
      { team },
    )) as HashicorpSession;
    expect(session.data.vaultAddr).toBe(peer.addr);
  });
});

describe('--method approle', () => {
  it('logs in with role_id + secret_id and reads', async () => {
    const roleId = (await root.request('GET', `auth/${approlePath}/role/ci/role-id`)).data.role_id;
    const secretId = (await root.request('POST', `auth/${approlePath}/role/ci/secret-id`, {})).data.secret_id;
    const session = (await createHashicorpProvider().authenticate(
      { method: 'approle', roleId, secretId, approlePath, vaultAddr: peer.addr },
      recordingIO(),
      {},
    )) as HashicorpSession;
    expect(session.data).toMatchObject({ method: 'approle', authPath: approlePath });
    expect(Date.parse(session.expiresAt!) - Date.now()).toBeGreaterThan(19 * 60_000);
    expect(await readWith(session)).toEqual([{ ok: true, value: 'methods-value', version: '1' }]);
  });

  it('a wrong secret_id is AUTH_FAILED and the message carries no credential', async () => {
    const roleId = (await root.request('GET', `auth/${approlePath}/role/ci/role-id`)).data.role_id;
    const error = await createHashicorpProvider()
      .authenticate({ method: 'approle', roleId, secretId: 'not-the-secret-id-4711', approlePath, vaultAddr: peer.addr }, recordingIO(), {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'AUTH_FAILED')).toBe(true);
    expect((error as Error).message).not.toContain('not-the-secret-id-4711');
  });
});

describe('token lifecycle', () => {
  it("refresh renews a renewable token, also under the guide's read policy that denies auth/*", async () => {
    const { token } = await root.createToken({ policies: [readPolicy], ttl: '5m' });
    const provider = createHashicorpProvider();
    const session = (await provider.authenticate({ method: 'token', token, vaultAddr: peer.addr }, recordingIO(), {})) as HashicorpSession;
    const aged = { ...session, expiresAt: new Date(Date.now() + 1_000).toISOString() };
    const renewed = await provider.refresh!(aged, {});
    expect(Date.parse(renewed.expiresAt!) - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(renewed.data.token).toBe(token);
  });

  it('refresh of a revoked or non-renewable token is REAUTH_REQUIRED', async () => {
    const provider = createHashicorpProvider();
    const { token } = await root.createToken({ policies: [readPolicy], ttl: '5m' });
    const session = (await provider.authenticate({ method: 'token', token, vaultAddr: peer.addr }, recordingIO(), {})) as HashicorpSession;
    await root.revokeToken(token);
    await expect(provider.refresh!(session, {})).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
      fix: { action: 'reauth', provider: 'hashicorp' },
    });

    const fixed = await root.createToken({ policies: [readPolicy], ttl: '5m', renewable: false });
    const fixedSession = (await provider.authenticate(
      { method: 'token', token: fixed.token, vaultAddr: peer.addr },
      recordingIO(),
      {},
    )) as HashicorpSession;
    expect(fixedSession.data.renewable).toBe(false);
    await expect(provider.refresh!(fixedSession, {})).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
  });

  it('signOut revokes a token vaultlink minted (AppRole login); signing out twice is fine', async () => {
    const provider = createHashicorpProvider();
    const roleId = (await root.request('GET', `auth/${approlePath}/role/ci/role-id`)).data.role_id;
    const secretId = (await root.request('POST', `auth/${approlePath}/role/ci/secret-id`, {})).data.secret_id;
    const session = (await provider.authenticate(
      { method: 'approle', roleId, secretId, approlePath, vaultAddr: peer.addr },
      recordingIO(),
      {},
    )) as HashicorpSession;
    await expect(provider.signOut!(session, call())).resolves.toEqual({ revoked: true });
    await expect(root.request('GET', 'auth/token/lookup-self', undefined, { as: session.data.token })).rejects.toMatchObject({
      status: 403,
    });
    await expect(provider.signOut!(session, call())).resolves.toEqual({ revoked: true });
    const [after] = await readWith(session);
    expect(after!.ok ? 'OK' : after!.error.code).toBe('REAUTH_REQUIRED');
  });

  it('signOut only forgets a token the user brought (--method token, ~/.vault-token): it stays valid', async () => {
    const provider = createHashicorpProvider();
    const { token } = await root.createToken({ policies: [readPolicy], ttl: '5m' });
    const session = (await provider.authenticate({ method: 'token', token, vaultAddr: peer.addr }, recordingIO(), {})) as HashicorpSession;
    const result = await provider.signOut!(session, call());
    expect(result).toMatchObject({ revoked: false, note: expect.stringContaining('only forgotten') });
    expect(JSON.stringify(result)).not.toContain(token);
    const lookup = await root.request('GET', 'auth/token/lookup-self', undefined, { as: token });
    expect(lookup.data.policies).toContain(readPolicy);
  });
});
