/**
 * HTTP faults with nock: bounded retries on sealed/standby/503 then PROVIDER_UNAVAILABLE,
 * 429 → THROTTLED, 403 vs 404 (with the token check that tells denial from an expired
 * token), timeouts, and cancellation of a request in flight.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FetchResult } from '@vault/core/provider';
import { readLinks } from '@vault/core/provider';
import { createHashicorpProvider, type HashicorpSession } from '../src/index.js';
import { recordingIO } from './support/io.js';
import { freePort } from './support/port.js';

const VAULT = 'http://vault.test:8200';

function session(overrides: Partial<HashicorpSession['data']> = {}): HashicorpSession {
  return {
    provider: 'hashicorp',
    organization: VAULT,
    principal: 'test',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    createdAt: new Date().toISOString(),
    data: { token: 'hvs.test-token', accessor: 'acc', renewable: true, vaultAddr: VAULT, method: 'token', ...overrides },
  };
}

const provider = () => createHashicorpProvider({ retries: 3, retryBaseDelayMs: 1 });
const link = (p = provider()) => p.parseLink({ engine: 'secret', path: 'app', key: 'password', kvVersion: '2' });
const code = (r: FetchResult | undefined) => (r?.ok ? 'OK' : r?.error.code);

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.disableNetConnect();
});

describe('transient answers', () => {
  it('retries a sealed Vault (503) a bounded number of times, then PROVIDER_UNAVAILABLE naming the fix', async () => {
    const scope = nock(VAULT)
      .get('/v1/secret/data/app')
      .times(4)
      .reply(503, { errors: ['Vault is sealed'] });
    const p = provider();
    const [result] = await readLinks(p, [link(p)], session(), { signal: new AbortController().signal });
    expect(scope.isDone()).toBe(true); // 1 attempt + 3 retries, no more
    expect(code(result)).toBe('PROVIDER_UNAVAILABLE');
    expect(!result!.ok && result!.error.message).toContain('is sealed');
    expect(JSON.stringify(!result!.ok && result!.error.fix)).toContain('unseal');
  });

  it('succeeds when Vault comes back within the retries (standby → active)', async () => {
    nock(VAULT)
      .get('/v1/secret/data/app')
      .twice()
      .reply(503, { errors: ['node is in standby mode'] });
    nock(VAULT)
      .get('/v1/secret/data/app')
      .reply(200, { data: { data: { password: 'pw-after-retry' }, metadata: { version: 4 } } });
    const p = provider();
    const [result] = await readLinks(p, [link(p)], session(), { signal: new AbortController().signal });
    expect(result).toEqual({ ok: true, value: 'pw-after-retry', version: '4' });
  });

  it('429 is retried, then THROTTLED (core then pauses the provider and tries again, tested in core)', async () => {
    const scope = nock(VAULT)
      .get('/v1/secret/data/app')
      .times(4)
      .reply(429, { errors: ['request path "secret/data/app": rate limit quota exceeded'] });
    const p = provider();
    const error = await p
      .readDocument(link(p), session(), { signal: new AbortController().signal, timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ code: 'THROTTLED' });
  });

  it('an unreachable Vault is PROVIDER_UNAVAILABLE', async () => {
    // A real refused connection (nock's replyWithError does not survive axios-retry's re-send).
    const port = await freePort();
    nock.enableNetConnect(`127.0.0.1:${port}`);
    const p = provider();
    const [result] = await readLinks(p, [link(p)], session({ vaultAddr: `http://127.0.0.1:${port}` }), {
      signal: new AbortController().signal,
    });
    expect(code(result)).toBe('PROVIDER_UNAVAILABLE');
    expect(!result!.ok && result!.error.message).toContain('ECONNREFUSED');
  });

  it('a slow answer past the request timeout is PROVIDER_UNAVAILABLE (timed out)', async () => {
    nock(VAULT)
      .get('/v1/secret/data/app')
      .delay(2_000)
      .reply(200, { data: { data: { password: 'late' } } });
    const p = provider();
    const [result] = await readLinks(p, [link(p)], session(), { signal: new AbortController().signal, requestTimeoutMs: 100 });
    expect(result).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE', details: { timedOut: true } } });
  });
});

describe('403 vs 404', () => {
  it('404 is NOT_FOUND', async () => {
    nock(VAULT).get('/v1/secret/data/app').reply(404, { errors: [] });
    const p = provider();
    const [result] = await readLinks(p, [link(p)], session(), { signal: new AbortController().signal });
    expect(code(result)).toBe('NOT_FOUND');
  });

  it('403 with a valid token is ACCESS_DENIED naming the path and capability', async () => {
    nock(VAULT)
      .get('/v1/secret/data/app')
      .reply(403, { errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    const lookup = nock(VAULT)
      .get('/v1/auth/token/lookup-self')
      .reply(200, { data: { ttl: 100 } });
    const p = provider();
    const [result] = await readLinks(p, [link(p)], session(), { signal: new AbortController().signal });
    expect(lookup.isDone()).toBe(true);
    expect(code(result)).toBe('ACCESS_DENIED');
    expect(!result!.ok && result!.error.message).toContain('Vault denied "read" on secret/data/app');
    expect(!result!.ok && result!.error.details).toMatchObject({ path: 'secret/data/app', capability: 'read', status: 403 });
  });

  it('403 with a token Vault no longer knows is REAUTH_REQUIRED, never NOT_FOUND', async () => {
    nock(VAULT)
      .get('/v1/secret/data/app')
      .reply(403, { errors: ['permission denied'] });
    nock(VAULT)
      .get('/v1/auth/token/lookup-self')
      .reply(403, { errors: ['permission denied'] });
    const p = provider();
    const [result] = await readLinks(p, [link(p)], session(), { signal: new AbortController().signal });
    expect(code(result)).toBe('REAUTH_REQUIRED');
    expect(!result!.ok && result!.error.fix).toEqual({ action: 'reauth', provider: 'hashicorp' });
  });

  it('asks about the token once per batch, however many documents were denied', async () => {
    nock(VAULT)
      .get(/\/v1\/secret\/data\/(a|b|c)$/)
      .times(3)
      .reply(403, { errors: ['permission denied'] });
    const lookup = nock(VAULT).get('/v1/auth/token/lookup-self').once().reply(200, { data: {} });
    const p = provider();
    const links = ['a', 'b', 'c'].map((path) => p.parseLink({ engine: 'secret', path, key: 'k', kvVersion: '2' }));
    const results = await readLinks(p, links, session(), { signal: new AbortController().signal });
    expect(results.map(code)).toEqual(['ACCESS_DENIED', 'ACCESS_DENIED', 'ACCESS_DENIED']);
    expect(lookup.isDone()).toBe(true);
  });

  it('a KV v2 404 carrying deletion metadata says the version was deleted', async () => {
    nock(VAULT)
      .get('/v1/secret/data/app?version=3')
      .reply(404, { data: { data: null, metadata: { version: 3, deletion_time: '2026-01-02T03:04:05Z', destroyed: false } } });
    const p = provider();
    const [result] = await readLinks(
      p,
      [p.parseLink({ engine: 'secret', path: 'app', key: 'k', version: '3', kvVersion: '2' })],
      session(),
      { signal: new AbortController().signal },
    );
    expect(code(result)).toBe('NOT_FOUND');
    expect(!result!.ok && result!.error.message).toContain('Version 3 of secret/app was deleted at 2026-01-02T03:04:05Z');
  });
});

describe('cancellation', () => {
  it('an already-aborted signal makes no request', async () => {
    const scope = nock(VAULT).get('/v1/secret/data/app').reply(200, {});
    const controller = new AbortController();
    controller.abort();
    const p = provider();
    await expect(readLinks(p, [link(p)], session(), { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(scope.isDone()).toBe(false);
  });

  it('aborting a read in flight rejects with ABORTED at once', async () => {
    nock(VAULT)
      .get('/v1/secret/data/app')
      .delay(5_000)
      .reply(200, { data: { data: { password: 'never' } } });
    const controller = new AbortController();
    const p = provider();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    await expect(readLinks(p, [link(p)], session(), { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('aborting during the retry back-off stops retrying', async () => {
    const scope = nock(VAULT)
      .get('/v1/secret/data/app')
      .times(4)
      .reply(503, { errors: ['Vault is sealed'] });
    const p = createHashicorpProvider({ retries: 3, retryBaseDelayMs: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(readLinks(p, [link(p)], session(), { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(scope.pendingMocks().length).toBe(1); // only the first attempt went out
  });
});

describe('engine detection', () => {
  it('asks sys/internal/ui/mounts once per mount, and splits an engine given deeper than its mount', async () => {
    const mounts = nock(VAULT)
      .get('/v1/sys/internal/ui/mounts/secret/team')
      .once()
      .reply(200, { data: { type: 'kv', path: 'secret/', options: { version: '2' } } });
    const read = nock(VAULT)
      .get('/v1/secret/data/team/app')
      .twice()
      .reply(200, { data: { data: { k: 'split-value' }, metadata: { version: 2 } } });
    const p = provider();
    const l = p.parseLink({ engine: 'secret/team', path: 'app', key: 'k' });
    expect(await readLinks(p, [l], session(), { signal: new AbortController().signal })).toEqual([
      { ok: true, value: 'split-value', version: '2' },
    ]);
    expect(await readLinks(p, [l], session(), { signal: new AbortController().signal })).toEqual([
      { ok: true, value: 'split-value', version: '2' },
    ]);
    expect(mounts.isDone() && read.isDone()).toBe(true);
  });

  it('a non-KV mount is UNSUPPORTED_ENGINE without reading the path', async () => {
    nock(VAULT)
      .get('/v1/sys/internal/ui/mounts/pki')
      .reply(200, { data: { type: 'pki', path: 'pki/' } });
    const p = provider();
    const [result] = await readLinks(p, [p.parseLink({ engine: 'pki', path: 'cert/ca', key: 'certificate' })], session(), {
      signal: new AbortController().signal,
    });
    expect(code(result)).toBe('UNSUPPORTED_ENGINE');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('sessions', () => {
  it('a signed-out session (no token) is REAUTH_REQUIRED without a request', async () => {
    const p = provider();
    const loggedOut = { ...session(), data: null } as unknown as HashicorpSession;
    const [result] = await readLinks(p, [link(p)], loggedOut, { signal: new AbortController().signal });
    expect(code(result)).toBe('REAUTH_REQUIRED');
  });

  it('sends X-Vault-Namespace and X-Vault-Token on the read', async () => {
    const scope = nock(VAULT, { reqheaders: { 'x-vault-namespace': 'team-a', 'x-vault-token': 'hvs.test-token' } })
      .get('/v1/secret/data/app')
      .reply(200, { data: { data: { password: 'ns-pw' }, metadata: { version: 1 } } });
    const p = provider();
    const [result] = await readLinks(p, [link(p)], session({ namespace: 'team-a' }), { signal: new AbortController().signal });
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ ok: true, value: 'ns-pw' });
  });
});

describe('sign-out and team calls take the bound core hands them', () => {
  const minted = () => session({ method: 'approle' });
  const SECURE_VAULT = 'https://vault.test:8200'; // team settings need https for a non-loopback host
  const team = {
    oidcProviderUrl: `${SECURE_VAULT}/v1/identity/oidc/provider/vaultlink`,
    jwtPath: 'vaultlink-jwt',
    clientId: 'c',
    role: 'vaultlink',
    redirectUri: 'http://localhost:8250/oidc/callback',
  };

  it('signOut passes the per-request timeout to revoke-self: a Vault that does not answer is PROVIDER_UNAVAILABLE, not a hang', async () => {
    nock(VAULT).post('/v1/auth/token/revoke-self').times(4).delay(5_000).reply(204);
    const error = await provider().signOut!(minted(), { signal: new AbortController().signal, timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('signOut stops at once when its signal aborts', async () => {
    nock(VAULT).post('/v1/auth/token/revoke-self').delay(5_000).reply(204);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await provider().signOut!(minted(), { signal: controller.signal, timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
  });

  it('teardown passes the per-request timeout to its admin check', async () => {
    nock(SECURE_VAULT).post('/v1/sys/capabilities-self').times(4).delay(5_000).reply(200, {});
    const error = await provider().teardown!(team, { adminToken: 'hvs.admin' }, recordingIO(), {
      signal: new AbortController().signal,
      timeoutMs: 100,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });
});
