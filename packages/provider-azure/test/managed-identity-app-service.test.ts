/**
 * Managed identity, App Service shape, through @azure/identity 4.13 (MSAL's AppService source):
 * IDENTITY_ENDPOINT + IDENTITY_HEADER. The endpoint is stubbed to check exactly what is sent;
 * the integration tests point the same variables at Lowkey Vault's token endpoint.
 * MSAL fixes the managed-identity source once per process, hence one shape per test file.
 */
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureProvider } from '../src/index.js';
import { fakeJwt } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';

const ENDPOINT = 'http://identity.stub.test:8081/msi/token';
const TENANT = '0d1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const OID = '7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b';
const requests: Array<{ query: Record<string, string>; header: string | undefined }> = [];

beforeAll(() => {
  process.env.IDENTITY_ENDPOINT = ENDPOINT;
  process.env.IDENTITY_HEADER = 'stub-identity-header';
  nock.disableNetConnect();
  nock('http://identity.stub.test:8081')
    .persist()
    .get('/msi/token')
    .query(true)
    .reply(function (uri) {
      requests.push({
        query: Object.fromEntries(new URL(uri, ENDPOINT).searchParams),
        header: this.req.headers['x-identity-header'] as string | undefined,
      });
      const expiresOn = Math.floor(Date.now() / 1000) + 3600;
      return [
        200,
        {
          access_token: fakeJwt({ tid: TENANT, oid: OID }),
          expires_on: String(expiresOn),
          resource: 'https://vault.azure.net',
          token_type: 'Bearer',
        },
      ];
    });
});
afterAll(() => {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('managed identity (IDENTITY_ENDPOINT / IDENTITY_HEADER)', () => {
  it('asks the endpoint with the App Service 2019-08-01 request and names the tenant from the token', async () => {
    const session = await createAzureProvider().authenticate(
      { method: 'managed-identity', managedIdentityClientId: '22222222-3333-4444-5555-666666666666' },
      recordingIO({ env: {} }),
      {},
    );
    expect(requests[0]).toEqual({
      query: { 'api-version': '2019-08-01', resource: 'https://vault.azure.net', client_id: '22222222-3333-4444-5555-666666666666' },
      header: 'stub-identity-header',
    });
    expect(session).toMatchObject({
      organization: TENANT,
      principal: `managed identity 22222222-3333-4444-5555-666666666666 (object ${OID})`,
      expiresAt: null,
    });
    expect(session.data).toEqual({
      method: 'managed-identity',
      scope: 'https://vault.azure.net/.default',
      tenantId: TENANT,
      managedIdentityClientId: '22222222-3333-4444-5555-666666666666',
    });
  });
});
