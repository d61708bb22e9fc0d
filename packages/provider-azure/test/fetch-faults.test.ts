/**
 * Key Vault faults a real peer cannot produce on demand (429, 403, revoked tokens, outages),
 * driven through the real SDK pipeline against nock, with a client-secret session.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FetchResult, VaultError } from '@vault/core/provider';
import { readLinks } from '@vault/core/provider';
import { createAzureProvider, type AzureProviderOptions, type AzureSession } from '../src/index.js';
import { selfSignedCertificate } from './support/certificate.js';
import { AUTHORITY_HOST, TENANT_ID, entraError, startEntraStub, type EntraStub } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';
import { VAULT, azureError, challengeHeaders, keyVault, secretBody } from './support/keyvault-stub.js';

const VALUE = 's3cr3t-value-never-in-messages';
const FIELDS = {
  method: 'client-secret',
  tenant: TENANT_ID,
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: 'stub-client-secret-value',
  authorityHost: AUTHORITY_HOST,
  disableInstanceDiscovery: true,
};

let entra: EntraStub;
let session: AzureSession;
let sent: string[];

function provider(options: AzureProviderOptions = {}) {
  return createAzureProvider({
    maxRetries: 2,
    retryDelayInMs: 10,
    maxRetryDelayInMs: 20,
    // Counts Key Vault operations as the SDK issues them (before retries and the auth challenge).
    additionalPolicies: [
      {
        position: 'perCall',
        policy: {
          name: 'count-reads',
          sendRequest: ((request: { url: string }, next: (r: unknown) => unknown) => {
            sent.push(new URL(request.url).pathname);
            return next(request);
          }) as never,
        },
      },
    ],
    ...options,
  });
}

/** The SDK's first request is unauthenticated; Key Vault answers with the challenge. */
function challengeOnce(path: string) {
  track(keyVault()).get(path).query(true).reply(401, '', challengeHeaders());
}

/** Key Vault interceptors of the current test, to check that each was used. */
let kv: nock.Scope[] = [];
const kvDone = () => kv.every((scope) => scope.isDone());
const track = (scope: nock.Scope) => (kv.push(scope), scope);

async function fetchOne(
  id: string,
  options: { provider?: ReturnType<typeof provider>; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<FetchResult> {
  const p = options.provider ?? provider();
  const [result] = await readLinks(p, [p.parseLink({ id })], session, {
    signal: options.signal ?? new AbortController().signal,
    ...(options.timeoutMs ? { requestTimeoutMs: options.timeoutMs } : {}),
  });
  return result!;
}

function failure(result: FetchResult): VaultError {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  const error = (result as { error: VaultError }).error;
  expect(error.message).not.toContain(VALUE);
  expect(JSON.stringify(error.toJSON())).not.toContain(VALUE);
  return error;
}

beforeEach(async () => {
  nock.disableNetConnect();
  entra = startEntraStub();
  sent = [];
  kv = [];
  session = (await createAzureProvider().authenticate(FIELDS, recordingIO(), {})) as AzureSession;
});
afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('throttling', () => {
  it('waits for Retry-After on 429 and then succeeds', async () => {
    challengeOnce('/secrets/api-key/');
    const auth = { reqheaders: { authorization: /^Bearer / } };
    track(nock(VAULT, auth))
      .get('/secrets/api-key/')
      .query(true)
      .reply(429, azureError('Throttled', 'Too many requests'), { 'Retry-After': '1' });
    track(nock(VAULT, auth)).get('/secrets/api-key/').query(true).reply(200, secretBody('api-key', VALUE));
    const started = Date.now();
    const result = await fetchOne(`${VAULT}/secrets/api-key`);
    expect(result).toMatchObject({ ok: true, value: VALUE });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(kvDone()).toBe(true);
  });

  it("gives up after the bounded retries with THROTTLED and the server's Retry-After", async () => {
    challengeOnce('/secrets/api-key/');
    const throttled = track(nock(VAULT, { reqheaders: { authorization: /^Bearer / } }))
      .get('/secrets/api-key/')
      .query(true)
      .times(3)
      .reply(429, azureError('Throttled', 'Too many requests'), { 'Retry-After': '0' });
    // The provider's own read: core then pauses the provider for Retry-After and tries again (tested in core).
    const p = provider();
    const error = (await p
      .readDocument(p.parseLink({ id: `${VAULT}/secrets/api-key` }), session, { signal: new AbortController().signal, timeoutMs: 30_000 })
      .catch((e: unknown) => e)) as VaultError;
    expect(error.code).toBe('THROTTLED');
    expect(error.retryAfterSeconds).toBe(0);
    expect(throttled.isDone()).toBe(true); // first try + maxRetries (2)
    expect(sent).toHaveLength(1); // one operation from the provider's point of view
  });
});

describe('access and state errors', () => {
  it('maps 403 to ACCESS_DENIED naming the Key Vault Secrets User role and access policies', async () => {
    challengeOnce('/secrets/api-key/');
    track(keyVault())
      .get('/secrets/api-key/')
      .query(true)
      .reply(
        403,
        azureError('Forbidden', 'The user, group or application does not have secrets get permission on key vault.', 'AccessDenied'),
      );
    const error = failure(await fetchOne(`${VAULT}/secrets/api-key`));
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('Key Vault Secrets User');
    expect(error.message).toContain('Azure Vault Reader');
    expect(error.message).toContain('access policy with Get on secrets');
    expect(error.fix).toMatchObject({
      action: 'manual',
      text: expect.stringContaining('az role assignment create --role "Key Vault Secrets User"'),
    });
  });

  it("maps the vault firewall's 403 to ACCESS_DENIED about the network", async () => {
    challengeOnce('/secrets/api-key/');
    track(keyVault())
      .get('/secrets/api-key/')
      .query(true)
      .reply(403, azureError('Forbidden', 'Client address is not authorized', 'ForbiddenByFirewall'));
    const error = failure(await fetchOne(`${VAULT}/secrets/api-key`));
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('firewall');
  });

  it("maps Key Vault's disabled-secret 403 to SECRET_DISABLED naming the state", async () => {
    challengeOnce('/secrets/api-key/');
    track(keyVault())
      .get('/secrets/api-key/')
      .query(true)
      .reply(403, azureError('Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled'));
    const error = failure(await fetchOne(`${VAULT}/secrets/api-key`));
    expect(error.code).toBe('SECRET_DISABLED');
    expect(error.message).toContain('is disabled');
    expect(error.details.state).toBe('disabled');
  });

  it("maps Lowkey Vault's disabled-secret 404 (same sentence, no SecretDisabled code) to SECRET_DISABLED, not NOT_FOUND", async () => {
    challengeOnce('/secrets/api-key/');
    // The body Lowkey Vault 7.1.13 sends for a disabled secret (captured from the peer).
    track(keyVault())
      .get('/secrets/api-key/')
      .query(true)
      .reply(404, {
        error: {
          code: 'com.github.nagyesta.lowkeyvault.service.exception.NotFoundException',
          message: 'Operation get is not allowed on a disabled entity.',
        },
      });
    const error = failure(await fetchOne(`${VAULT}/secrets/api-key`));
    expect(error.code).toBe('SECRET_DISABLED');
    expect(error.details).toMatchObject({ state: 'disabled', status: 404 });
  });

  it("keeps Lowkey Vault's plain 404 for a missing secret as NOT_FOUND", async () => {
    challengeOnce('/secrets/nope/');
    track(keyVault())
      .get('/secrets/nope/')
      .query(true)
      .reply(404, {
        error: {
          code: 'com.github.nagyesta.lowkeyvault.service.exception.NotFoundException',
          message: 'Key not found: secret:https://vault/nope/--',
        },
      });
    expect(failure(await fetchOne(`${VAULT}/secrets/nope`)).code).toBe('NOT_FOUND');
  });

  it('refuses an expired secret and a not-yet-active one, naming the state and never the value', async () => {
    challengeOnce('/secrets/old/');
    track(keyVault())
      .get('/secrets/old/')
      .query(true)
      .reply(200, secretBody('old', VALUE, { exp: new Date(Date.now() - 86_400_000) }));
    track(keyVault())
      .get('/secrets/future/')
      .query(true)
      .reply(200, secretBody('future', VALUE, { nbf: new Date(Date.now() + 86_400_000) }));
    const p = provider();
    const [expired, future] = await readLinks(
      p,
      [p.parseLink({ id: `${VAULT}/secrets/old` }), p.parseLink({ id: `${VAULT}/secrets/future` })],
      session,
      { signal: new AbortController().signal },
    );
    const e1 = failure(expired!);
    expect(e1.code).toBe('SECRET_DISABLED');
    expect(e1.message).toMatch(/expired on \d{4}-/);
    expect(e1.details.state).toBe('expired');
    const e2 = failure(future!);
    expect(e2.details.state).toBe('not-yet-active');
  });

  it('maps 404 SecretNotFound to NOT_FOUND', async () => {
    challengeOnce('/secrets/missing/0123456789abcdef0123456789abcdef');
    track(keyVault())
      .get('/secrets/missing/0123456789abcdef0123456789abcdef')
      .query(true)
      .reply(404, azureError('SecretNotFound', 'A secret with (name/id) missing/0123 was not found in this key vault.'));
    const error = failure(await fetchOne(`${VAULT}/secrets/missing/0123456789abcdef0123456789abcdef`));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('at that version');
  });

  it('maps a 401 on an authenticated request (revoked token) to REAUTH_REQUIRED, never NOT_FOUND', async () => {
    challengeOnce('/secrets/api-key/');
    track(keyVault()).get('/secrets/api-key/').query(true).reply(401, azureError('Unauthorized', 'AKV10032: Invalid issuer.'));
    const error = failure(await fetchOne(`${VAULT}/secrets/api-key`));
    expect(error.code).toBe('REAUTH_REQUIRED');
    expect(error.fix).toEqual({ action: 'reauth', provider: 'azure' });
  });
});

describe('hosts outside the Key Vault domains', () => {
  it('never hand a look-alike host a token for real Key Vault', async () => {
    const evil = 'https://kv.look-alike.test';
    const scope = track(nock(evil));
    scope.get('/secrets/api-key/').query(true).reply(401, '', challengeHeaders()); // asks for https://vault.azure.net
    const tokens = entra.tokenRequests.length;
    const error = failure(await fetchOne(`${evil}/secrets/api-key`));
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('only gets tokens for itself');
    expect(entra.tokenRequests.length).toBe(tokens);
    expect(kvDone()).toBe(true); // and no second, authorized request was sent
  });

  it('do get a token for their own origin (emulators such as Lowkey Vault)', async () => {
    const emulator = 'https://kv.emulator.test:8443';
    const scope = track(nock(emulator));
    scope
      .get('/secrets/api-key/')
      .query(true)
      .reply(401, '', { 'WWW-Authenticate': `Bearer resource="${emulator}", authorization_uri="${emulator}/secrets/api-key"` });
    scope
      .get('/secrets/api-key/')
      .query(true)
      .matchHeader('authorization', /^Bearer /)
      .reply(200, secretBody('api-key', VALUE));
    expect(await fetchOne(`${emulator}/secrets/api-key`)).toMatchObject({ ok: true, value: VALUE });
    expect(entra.tokenRequests.at(-1)).toMatchObject({ scope: `${emulator}/.default` });
  });
});

describe('token expiry mid-run', () => {
  it('renews with the stored secret after expiry; once Entra refuses, REAUTH_REQUIRED', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const p = provider();
    challengeOnce('/secrets/api-key/');
    track(keyVault()).get('/secrets/api-key/').query(true).times(2).reply(200, secretBody('api-key', VALUE));
    expect(await fetchOne(`${VAULT}/secrets/api-key`, { provider: p })).toMatchObject({ ok: true });
    const tokensBefore = entra.tokenRequests.length;

    // Two hours later the first token is gone; the credential silently gets a new one.
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    expect(await fetchOne(`${VAULT}/secrets/api-key`, { provider: p })).toMatchObject({ ok: true });
    expect(entra.tokenRequests.length).toBe(tokensBefore + 1);

    // Later still, the secret was rotated away: Entra refuses and the session needs a reauth.
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    entra.onToken = () => entraError('invalid_client', 'AADSTS7000222: The provided client secret keys are expired.', 401);
    const error = failure(await fetchOne(`${VAULT}/secrets/api-key`, { provider: p }));
    expect(error.code).toBe('REAUTH_REQUIRED');
    expect(error.fix).toEqual({ action: 'reauth', provider: 'azure' });
    expect(error.message).toContain('AADSTS7000222');
  });
});

describe('outages, cancellation and timeouts', () => {
  it('maps 5xx after retries to PROVIDER_UNAVAILABLE', async () => {
    challengeOnce('/secrets/api-key/');
    const failing = track(keyVault()).get('/secrets/api-key/').query(true).times(3).reply(503, azureError('ServiceUnavailable', 'down'));
    const error = failure(await fetchOne(`${VAULT}/secrets/api-key`));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(failing.isDone()).toBe(true);
  });

  it('maps connection failures to PROVIDER_UNAVAILABLE', async () => {
    // A real refused connection: a loopback port nothing listens on.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    nock.enableNetConnect('127.0.0.1');
    const error = failure(await fetchOne(`https://127.0.0.1:${port}/secrets/api-key`));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('keeps TLS verification on: an untrusted certificate is PROVIDER_UNAVAILABLE naming NODE_EXTRA_CA_CERTS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaultlink-tls-'));
    const { keyFile, certFile } = selfSignedCertificate(dir);
    const server = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      nock.enableNetConnect('localhost');
      const { port } = server.address() as AddressInfo;
      const error = failure(await fetchOne(`https://localhost:${port}/secrets/api-key`));
      expect(error.code).toBe('PROVIDER_UNAVAILABLE');
      expect(error.message).toContain('could not be verified');
      expect(error.fix).toMatchObject({ action: 'manual', text: expect.stringContaining('NODE_EXTRA_CA_CERTS') });
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("honours the caller's AbortSignal with ABORTED", async () => {
    challengeOnce('/secrets/slow/');
    track(keyVault()).get('/secrets/slow/').query(true).delay(5_000).reply(200, secretBody('slow', VALUE));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(fetchOne(`${VAULT}/secrets/slow`, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('fails a read that exceeds timeoutMs with PROVIDER_UNAVAILABLE (timeout)', async () => {
    challengeOnce('/secrets/slow/');
    track(keyVault()).get('/secrets/slow/').query(true).delay(5_000).reply(200, secretBody('slow', VALUE));
    const error = failure(await fetchOne(`${VAULT}/secrets/slow`, { timeoutMs: 300 }));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.details.timeout).toBe(true);
  });
});

describe('de-duplication and client reuse', () => {
  it('reads each (vault, name, version) once per fetch and reuses one client per vault', async () => {
    challengeOnce('/secrets/a/');
    track(keyVault()).get('/secrets/a/').query(true).times(2).reply(200, secretBody('a', 'value-a'));
    track(keyVault()).get('/secrets/b/').query(true).times(2).reply(200, secretBody('b', 'value-b'));
    const p = provider();
    const links = [`${VAULT}/secrets/a`, `${VAULT}/secrets/B`, `${VAULT}/secrets/A/`, `${VAULT}/secrets/b`].map((id) =>
      p.parseLink({ id }),
    );
    // `B` and `b` are one secret to Key Vault, but nock matches paths exactly; fetch the lower-case form.
    const results = await readLinks(p, [links[0]!, links[2]!, links[3]!], session, { signal: new AbortController().signal });
    expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual(['value-a', 'value-a', 'value-b']);
    expect(sent).toEqual(['/secrets/a/', '/secrets/b/']);
    expect(p.documentKey(links[1]!)).toBe(p.documentKey(links[3]!));

    // A second fetch reuses the client: no new challenge round trip, no new token.
    const tokens = entra.tokenRequests.length;
    const again = await readLinks(p, [links[0]!, links[3]!], session, { signal: new AbortController().signal });
    expect(again.every((r) => r.ok)).toBe(true);
    expect(entra.tokenRequests.length).toBe(tokens);
    expect(kvDone()).toBe(true);
  });
});
