/**
 * The browser sign-in as far as it runs without Microsoft's login page: the authorization URL
 * MSAL builds (PKCE S256, loopback redirect, form_post), the loopback server receiving the
 * redirect, the code exchange at a stubbed token endpoint, and later silent use through
 * @azure/identity. The real login page, consent and a real browser are not exercised.
 */
import { createHash } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isVaultError, type VaultError, readLinks } from '@vault/core/provider';
import { createAzureProvider, type AzureSession } from '../src/index.js';
import { AUTHORITY_HOST, TENANT_ID, USERNAME, startEntraStub, type EntraStub } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';
import { VAULT, challengeHeaders, keyVault, secretBody } from './support/keyvault-stub.js';

const FIELDS = { method: 'browser', authorityHost: AUTHORITY_HOST, disableInstanceDiscovery: true };

let entra: EntraStub;
beforeEach(() => {
  nock.disableNetConnect();
  // The loopback redirect is a real local server run by MSAL.
  nock.enableNetConnect((host) => host.startsWith('localhost') || host.startsWith('127.0.0.1'));
  entra = startEntraStub();
});
afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
  nock.enableNetConnect();
});

/** Plays the browser after the user signed in: Entra posts the code to the loopback redirect. */
async function postRedirect(authorizeUrl: string, form: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(authorizeUrl);
  const redirectUri = url.searchParams.get('redirect_uri')!;
  const response = await fetch(redirectUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: await response.text() };
}

describe('browser sign-in', () => {
  it('builds a PKCE authorization URL, takes the loopback redirect and exchanges the code', async () => {
    let page: { status: number; body: string } | undefined;
    const io = recordingIO({
      onOpen: (url) => {
        // After openBrowser returns, MSAL waits for the redirect; deliver it asynchronously.
        setTimeout(() => void postRedirect(url, { code: 'stub-auth-code' }).then((p) => (page = p)), 50);
      },
    });
    const session = (await createAzureProvider().authenticate(FIELDS, io, {})) as AzureSession;

    expect(io.opened).toHaveLength(1);
    const url = new URL(io.opened[0]!);
    expect(`${url.origin}${url.pathname}`).toBe(`${AUTHORITY_HOST}/organizations/oauth2/v2.0/authorize`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
      response_type: 'code',
      response_mode: 'form_post',
      code_challenge_method: 'S256',
      prompt: 'select_account',
    });
    expect(params.redirect_uri).toMatch(/^http:\/\/localhost:\d+$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // MSAL Node sends no `state` here and does not check one on the redirect; PKCE is what binds the
    // code to this sign-in (a code injected into the loopback fails the verifier check at Entra).
    expect(params.state).toBeUndefined();
    // Same client capability identity declares for Key Vault's CAE tokens, so the cache serves both.
    expect(JSON.parse(params.claims!)).toMatchObject({ access_token: { xms_cc: { values: ['cp1'] } } });
    expect(params.scope!.split(' ')).toEqual(
      expect.arrayContaining(['https://vault.azure.net/.default', 'openid', 'profile', 'offline_access']),
    );

    const exchange = entra.tokenRequests.find((r) => r.grant_type === 'authorization_code')!;
    expect(exchange).toMatchObject({ code: 'stub-auth-code', redirect_uri: params.redirect_uri });
    // The verifier MSAL sends hashes to the challenge it put in the URL.
    expect(createHash('sha256').update(exchange.code_verifier!).digest('base64url')).toBe(params.code_challenge);

    expect(page).toEqual({ status: 200, body: 'Signed in to Azure for vaultlink. You can close this tab.' });
    expect(session).toMatchObject({ organization: TENANT_ID, principal: `${USERNAME} (browser sign-in)` });
    expect(session.data.authenticationRecord).toMatchObject({ username: USERNAME, tenantId: TENANT_ID });
    expect(session.data.tokenCache).toContain('stub-refresh-token-1');
  });

  it('with --no-browser prints the URL on its own line and opens nothing', async () => {
    const io = recordingIO({ env: {} }); // no display either: printing is still fine
    const pending = createAzureProvider().authenticate({ ...FIELDS, browser: false }, io, {});
    await vi.waitFor(() => expect(io.infos.some((line) => line.startsWith(`${AUTHORITY_HOST}/`))).toBe(true));
    const url = io.infos.find((line) => line.startsWith(`${AUTHORITY_HOST}/`))!;
    expect(url).not.toContain(' ');
    await postRedirect(url, { code: 'stub-auth-code' });
    await expect(pending).resolves.toMatchObject({ organization: TENANT_ID });
    expect(io.opened).toEqual([]);
  });

  it('refuses where no browser can work, suggesting --method device-code', async () => {
    for (const env of [{ CI: 'true', DISPLAY: ':0' }, {}]) {
      const error = await createAzureProvider()
        .authenticate(FIELDS, recordingIO({ env }), {})
        .catch((e: unknown) => e);
      expect(isVaultError(error, 'AUTH_FAILED'), String(error)).toBe(true);
      expect((error as VaultError).fix).toMatchObject({ action: 'connect', provider: 'azure', flags: { method: 'device-code' } });
    }
    expect(entra.tokenRequests).toEqual([]);
  });

  it('reports a denied consent from the redirect as AUTH_FAILED', async () => {
    const io = recordingIO({
      onOpen: (url) =>
        void setTimeout(
          () => void postRedirect(url, { error: 'access_denied', error_description: 'AADSTS65004: User declined to consent' }),
          50,
        ),
    });
    const error = await createAzureProvider()
      .authenticate(FIELDS, io, {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'AUTH_FAILED'), String(error)).toBe(true);
    expect((error as Error).message).toContain('access_denied');
  });

  it('gives up after the timeout and closes the loopback server', async () => {
    const io = recordingIO();
    const error = await createAzureProvider({ browserTimeoutMs: 400 })
      .authenticate(FIELDS, io, {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'AUTH_FAILED'), String(error)).toBe(true);
    expect((error as Error).message).toContain('did not finish');
    const redirectUri = new URL(io.opened[0]!).searchParams.get('redirect_uri')!;
    await vi.waitFor(async () => {
      await expect(fetch(redirectUri, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
    });
  });

  it('a stored browser session reads silently in a fresh provider and renews through @azure/identity', async () => {
    const io = recordingIO({ onOpen: (url) => void setTimeout(() => void postRedirect(url, { code: 'stub-auth-code' }), 50) });
    const session = JSON.parse(JSON.stringify(await createAzureProvider().authenticate(FIELDS, io, {}))) as AzureSession;
    const exchanges = entra.tokenRequests.length;

    keyVault().get('/secrets/api-key/').query(true).reply(401, '', challengeHeaders());
    keyVault().get('/secrets/api-key/').query(true).times(2).reply(200, secretBody('api-key', 'browser-read-value'));
    const provider = createAzureProvider();
    const link = provider.parseLink({ id: `${VAULT}/secrets/api-key` });
    const [first] = await readLinks(provider, [link], session, { signal: new AbortController().signal });
    expect(first).toMatchObject({ ok: true, value: 'browser-read-value' });
    expect(entra.tokenRequests.length).toBe(exchanges); // the cached access token was used

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    const [second] = await readLinks(provider, [link], session, { signal: new AbortController().signal });
    expect(second).toMatchObject({ ok: true });
    expect(entra.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'stub-refresh-token-1' });
  });
});
