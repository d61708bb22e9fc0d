/**
 * Managed identity, IMDS shape: AZURE_POD_IDENTITY_AUTHORITY_HOST replaces 169.254.169.254 and
 * MSAL asks <host>/metadata/identity/oauth2/token?api-version=2018-02-01 with `Metadata: true`.
 * Also: no identity at that endpoint gives AUTH_FAILED naming the environment looked for.
 */
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVaultError } from '@vault/core/provider';
import { createAzureProvider } from '../src/index.js';
import { fakeJwt } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';

const HOST = 'http://imds.stub.test';
const requests: Array<{ query: Record<string, string>; metadata: string | undefined }> = [];
let answer: 'token' | 'no-identity' = 'token';

beforeAll(() => {
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = HOST;
  nock.disableNetConnect();
  nock(HOST)
    .persist()
    // MSAL asks for the path with a trailing slash (Lowkey serves both forms).
    .get(/^\/metadata\/identity\/oauth2\/token\/?$/)
    .query(true)
    .reply(function (uri) {
      requests.push({
        query: Object.fromEntries(new URL(uri, HOST).searchParams),
        metadata: this.req.headers.metadata as string | undefined,
      });
      if (answer === 'no-identity') return [400, { error: 'invalid_request', error_description: 'Identity not found' }];
      return [
        200,
        {
          access_token: fakeJwt({ tid: 'imds-tenant' }),
          expires_in: '3600',
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: 'https://vault.azure.net',
          token_type: 'Bearer',
        },
      ];
    });
});
afterAll(() => {
  delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('managed identity (AZURE_POD_IDENTITY_AUTHORITY_HOST)', () => {
  it('asks the IMDS path with Metadata: true', async () => {
    const session = await createAzureProvider().authenticate({ method: 'managed-identity' }, recordingIO({ env: {} }), {});
    expect(requests[0]).toEqual({ query: { 'api-version': '2018-02-01', resource: 'https://vault.azure.net' }, metadata: 'true' });
    expect(session).toMatchObject({ organization: 'imds-tenant', principal: 'managed identity system-assigned' });
  });

  it('reports a host without an identity as AUTH_FAILED naming what it looked for', async () => {
    answer = 'no-identity';
    const error = await createAzureProvider({})
      .authenticate({ method: 'managed-identity', scope: 'https://vault.azure.cn/.default' }, recordingIO({ env: {} }), {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'AUTH_FAILED'), String(error)).toBe(true);
    expect((error as Error).message).toContain('IDENTITY_ENDPOINT');
    // The endpoint was really asked (another resource, so not served from MSAL's cache).
    expect(requests.at(-1)!.query.resource).toBe('https://vault.azure.cn');
  });
});
