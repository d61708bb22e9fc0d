/**
 * Device-code sign-in through @azure/identity against a stubbed Entra ID, then silent use and
 * renewal of the stored session in fresh provider instances (as in a new CLI process).
 */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isVaultError, type VaultError, readLinks } from '@vault/core/provider';
import { createAzureProvider, type AzureSession } from '../src/index.js';
import { AUTHORITY_HOST, TENANT_ID, USERNAME, entraError, startEntraStub, type EntraStub } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';
import { VAULT, challengeHeaders, keyVault, secretBody } from './support/keyvault-stub.js';

const FIELDS = { method: 'device-code', authorityHost: AUTHORITY_HOST, disableInstanceDiscovery: true };
const DEVICE_GRANT = 'device_code'; // MSAL's short form of urn:ietf:params:oauth:grant-type:device_code

let entra: EntraStub;
beforeEach(() => {
  nock.disableNetConnect();
  entra = startEntraStub();
  let polls = 0;
  const issue = entra.onToken;
  // The user has not typed the code yet on the first poll.
  entra.onToken = (request) =>
    request.grant_type === DEVICE_GRANT && polls++ === 0 ? entraError('authorization_pending', 'AADSTS70016: pending') : issue(request);
});
afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function signIn(): Promise<{ session: AzureSession; infos: string[] }> {
  const io = recordingIO({ env: {} });
  const session = (await createAzureProvider().authenticate(FIELDS, io, {})) as AzureSession;
  // What core stores and a later process reads back.
  return { session: JSON.parse(JSON.stringify(session)) as AzureSession, infos: io.infos };
}

function readOnce(path = '/secrets/api-key/') {
  const scope = keyVault();
  scope.get(path).query(true).reply(401, '', challengeHeaders());
  scope
    .get(path)
    .query(true)
    .reply(function () {
      return [200, secretBody('api-key', `value for ${String(this.req.headers.authorization).slice(-12)}`)];
    });
  return scope;
}

describe('device-code sign-in', () => {
  it('shows the code through io.info, polls until approved, and returns a tenant session', async () => {
    const { session, infos } = await signIn();
    expect(infos.join('\n')).toContain('enter the code STUB-CODE');
    expect(entra.tokenRequests.map((r) => r.grant_type)).toEqual([DEVICE_GRANT, DEVICE_GRANT]);
    expect(session).toMatchObject({ provider: 'azure', organization: TENANT_ID, principal: `${USERNAME} (device code sign-in)` });
    expect(Date.parse(session.expiresAt!)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(session.data.authenticationRecord).toMatchObject({ tenantId: TENANT_ID, username: USERNAME, authority: 'login.stub.test' });
    // Refresh state lives in the session data (encrypted by core), in the CAE cache Key Vault uses.
    expect(session.data.tokenCache).toContain('stub-refresh-token-1');
  });

  it('a fresh provider reads with the stored access token without asking Entra again', async () => {
    const { session } = await signIn();
    const before = entra.tokenRequests.length;
    const scope = readOnce();
    const provider = createAzureProvider();
    const [result] = await readLinks(provider, [provider.parseLink({ id: `${VAULT}/secrets/api-key` })], session, {
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ ok: true });
    expect(entra.tokenRequests.length).toBe(before);
    expect(scope.isDone()).toBe(true);
  });

  it('after the access token expires, renews silently with the refresh token (fetch and refresh())', async () => {
    const { session } = await signIn();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    readOnce();
    const provider = createAzureProvider();
    const [result] = await readLinks(provider, [provider.parseLink({ id: `${VAULT}/secrets/api-key` })], session, {
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ ok: true });
    expect(entra.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'stub-refresh-token-1' });

    const renewed = (await provider.refresh!(session, {})) as AzureSession;
    expect(Date.parse(renewed.expiresAt!)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(renewed.createdAt).toBe(session.createdAt);
    expect(renewed.data.tokenCache).not.toBe(session.data.tokenCache);
  });

  it('when the refresh token is refused, fetch and refresh() say REAUTH_REQUIRED (never NOT_FOUND)', async () => {
    const { session } = await signIn();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    entra.onToken = () => entraError('invalid_grant', 'AADSTS700082: The refresh token has expired due to inactivity.');
    keyVault().get('/secrets/api-key/').query(true).reply(401, '', challengeHeaders());
    const provider = createAzureProvider();
    const [result] = await readLinks(provider, [provider.parseLink({ id: `${VAULT}/secrets/api-key` })], session, {
      signal: new AbortController().signal,
    });
    expect(result!.ok).toBe(false);
    const error = (result as { error: VaultError }).error;
    expect(error.code).toBe('REAUTH_REQUIRED');
    expect(error.fix).toEqual({ action: 'reauth', provider: 'azure' });

    const refreshError = await provider.refresh!(session, {}).catch((e: unknown) => e);
    expect(isVaultError(refreshError, 'REAUTH_REQUIRED')).toBe(true);
    // identity replaces Entra's reason with "automatic authentication has been disabled" here.
    expect((refreshError as VaultError).fix).toEqual({ action: 'reauth', provider: 'azure' });
    expect(entra.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token' });
  });

  it('stops polling when the caller aborts', async () => {
    entra.onToken = () => entraError('authorization_pending', 'AADSTS70016: pending');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await createAzureProvider()
      .authenticate(FIELDS, recordingIO({ env: {} }), { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'ABORTED'), String(error)).toBe(true);
  });
});
