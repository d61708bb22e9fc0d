/**
 * `describe` (what `vaultlink show` prints as upstream metadata) through the real SDK against
 * stubbed Key Vault answers: resolved version, state, content type, dates and tags, never the
 * value; a disabled latest version is described from the version list.
 */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVaultError } from '@vault/core/provider';
import { createAzureProvider, type AzureSession } from '../src/index.js';
import { AUTHORITY_HOST, TENANT_ID, startEntraStub } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';
import { VAULT, azureError, challengeHeaders, keyVault, secretBody } from './support/keyvault-stub.js';

const V1 = '11111111111111111111111111111111';
const V2 = '22222222222222222222222222222222';
let session: AzureSession;

beforeEach(async () => {
  nock.disableNetConnect();
  startEntraStub();
  session = (await createAzureProvider().authenticate(
    {
      method: 'client-secret',
      tenant: TENANT_ID,
      clientId: '11111111-2222-3333-4444-555555555555',
      clientSecret: 's',
      authorityHost: AUTHORITY_HOST,
      disableInstanceDiscovery: true,
    },
    recordingIO(),
    {},
  )) as AzureSession;
  keyVault()
    .get(/^\/secrets\//)
    .query(true)
    .reply(401, '', challengeHeaders());
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('describe', () => {
  it('returns the resolved version and metadata of latest, without the value', async () => {
    const expires = new Date(Date.now() + 30 * 86_400_000);
    keyVault()
      .get('/secrets/api-key/')
      .query(true)
      .reply(
        200,
        secretBody('api-key', 'never-shown-Zt1', {
          version: V2,
          contentType: 'application/json',
          tags: { team: 'payments' },
          exp: expires,
        }),
      );
    const provider = createAzureProvider();
    const info = await provider.describe(provider.parseLink({ id: `${VAULT}/secrets/api-key` }), session, {
      signal: new AbortController().signal,
      timeoutMs: 30_000,
    });
    expect(info).toEqual({
      vault: VAULT,
      name: 'api-key',
      version: V2,
      versionPinned: false,
      state: 'active',
      enabled: true,
      contentType: 'application/json',
      createdOn: new Date(1_700_000_000_000).toISOString(),
      updatedOn: new Date(1_700_000_100_000).toISOString(),
      expiresOn: new Date(Math.floor(expires.getTime() / 1000) * 1000).toISOString(),
      notBefore: null,
      tags: { team: 'payments' },
      recoveryLevel: 'Recoverable+Purgeable',
    });
    expect(JSON.stringify(info)).not.toContain('never-shown-Zt1');
  });

  it('describes a disabled latest version from the version list', async () => {
    keyVault()
      .get('/secrets/api-key/')
      .query(true)
      .reply(403, azureError('Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled'));
    const item = (version: string, enabled: boolean, updated: number) => ({
      id: `${VAULT}/secrets/api-key/${version}`,
      attributes: { enabled, created: 1_700_000_000, updated },
    });
    keyVault()
      .get('/secrets/api-key/versions')
      .query(true)
      .reply(200, { value: [item(V2, false, 1_700_000_500), item(V1, true, 1_700_000_000)], nextLink: null });
    const provider = createAzureProvider();
    const info = await provider.describe(provider.parseLink({ id: `${VAULT}/secrets/api-key` }), session, {
      signal: new AbortController().signal,
      timeoutMs: 30_000,
    });
    expect(info).toMatchObject({ version: V2, enabled: false, state: 'disabled' });
  });

  it('keeps the SECRET_DISABLED error when the version list is denied too', async () => {
    keyVault()
      .get('/secrets/api-key/')
      .query(true)
      .reply(403, azureError('Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled'));
    keyVault().get('/secrets/api-key/versions').query(true).reply(403, azureError('Forbidden', 'no list permission'));
    const provider = createAzureProvider();
    const error = await provider
      .describe(provider.parseLink({ id: `${VAULT}/secrets/api-key` }), session, {
        signal: new AbortController().signal,
        timeoutMs: 30_000,
      })
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'SECRET_DISABLED'), String(error)).toBe(true);
    expect((error as { details: Record<string, unknown> }).details).toMatchObject({ state: 'disabled', versionListError: 'ACCESS_DENIED' });
  });
});
