/**
 * The provider testkit against Lowkey Vault over verified TLS (NODE_EXTRA_CA_CERTS), signed in
 * with managed identity through Lowkey's token endpoint. Key Vault reads are counted by an
 * SDK pipeline policy on the provider's own SecretClients.
 *
 * Left out here: the three "not found vs access denied" cases. Lowkey accepts any bearer token, so
 * it cannot deny a read; they run as nock tests behind the real SDK in test/conformance-stub.test.ts.
 */
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { runProviderConformance, type ConformanceFixtures } from '@vault/provider-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureProvider, type AzureSession } from '../../src/index.js';
import { AUTHORITY_HOST, entraError, startEntraStub, type EntraStub, type TokenRequest } from '../support/entra-stub.js';
import { recordingIO } from '../support/io.js';
import { countingProvider, lowkeySeeder, managedIdentitySession, peer, uniqueName, useAppServiceManagedIdentity } from './helpers.js';

describe.skipIf(!peer)('conformance on Lowkey Vault', () => {
  const lowkey = peer!;
  // Built on first use: the describe body also runs (for collection) when the peer is skipped.
  let seeder: ReturnType<typeof lowkeySeeder> | undefined;
  const kv = () => (seeder ??= lowkeySeeder(lowkey));
  let current: ReturnType<typeof countingProvider> | undefined;
  let entra: EntraStub;

  beforeAll(() => {
    useAppServiceManagedIdentity(lowkey);
    // Only the (fictional) sign-in host is stubbed; Lowkey is reached for real.
    entra = startEntraStub();
  });
  afterAll(() => {
    nock.cleanAll();
  });

  async function fixtures(): Promise<ConformanceFixtures> {
    const secret = uniqueName('conf-versions');
    const [oldVersion] = await kv().setSecretVersions(secret, ['conformance-old-Qz7', 'conformance-new-Rk3']);
    const doc = uniqueName('conf-doc');
    await kv().setSecret(doc, 'conformance-doc-Wp5');
    const distinct = ['a', 'b', 'c'].map((x) => ({ name: uniqueName(`conf-distinct-${x}`), value: `conformance-distinct-${x}-Hm2` }));
    for (const d of distinct) await kv().setSecret(d.name, d.value);
    const id = (name: string) => `${lowkey.url}/secrets/${name}`;
    return {
      latest: { fields: { id: id(secret) }, value: 'conformance-new-Rk3' },
      pinned: {
        fields: { id: `${id(secret)}/${oldVersion}` },
        value: 'conformance-old-Qz7',
        latestOfSameSecret: { fields: { id: id(secret) }, value: 'conformance-new-Rk3' },
      },
      missing: { fields: { id: id(uniqueName('conf-missing')) } },
      // Key Vault names are case-insensitive and a trailing slash changes nothing: one document.
      sameDocument: [
        { fields: { id: id(doc) }, value: 'conformance-doc-Wp5' },
        { fields: { id: `${id(doc.toUpperCase())}/` }, value: 'conformance-doc-Wp5' },
      ],
      distinct: distinct.map((d) => ({ fields: { id: id(d.name) }, value: d.value })),
      invalid: [
        { fields: { id: '' }, field: 'id' },
        { fields: { id: id(secret).replace('https://', 'http://') }, field: 'scheme' },
        { fields: { id: `${lowkey.url}/keys/${secret}` }, field: 'path' },
        { fields: { id: id('bad_name') }, field: 'name' },
        { fields: { id: `${id(secret)}/not-a-version` }, field: 'version' },
        { fields: { id: 'https://x.vault.azure.net/secrets/a' }, field: 'vault' },
      ],
    };
  }

  /**
   * A device-code session whose access token is about to expire and whose refresh token Entra
   * (stubbed) now refuses: what a user has after long inactivity. Lowkey accepts any token, so
   * the expiry must come from the identity side, as it does in real life.
   */
  async function expiredSession(): Promise<AzureSession> {
    entra.onToken = (request) => {
      if (request.grant_type === 'refresh_token')
        return entraError('invalid_grant', 'AADSTS700082: The refresh token has expired due to inactivity.');
      return { status: 200, body: shortLived(request) };
    };
    return (await createAzureProvider().authenticate(
      { method: 'device-code', authorityHost: AUTHORITY_HOST, disableInstanceDiscovery: true },
      recordingIO({ env: {} }),
      {},
    )) as AzureSession;
  }

  function shortLived(request: TokenRequest) {
    // 60 s is inside MSAL's 5-minute renewal window, so the next use must refresh.
    const now = Math.floor(Date.now() / 1000);
    const tokens = entra.issued;
    entra.issued += 1;
    return {
      token_type: 'Bearer',
      expires_in: 60,
      access_token: `expired-session-token-${tokens}`,
      refresh_token: 'refused-refresh-token',
      id_token: idToken(request.client_id ?? 'client', now),
      client_info: Buffer.from(JSON.stringify({ uid: 'u1', utid: 't1' })).toString('base64url'),
    };
  }

  function idToken(aud: string, now: number): string {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    return `${part({ alg: 'none' })}.${part({ aud, iss: `${AUTHORITY_HOST}/t1/v2.0`, iat: now, nbf: now, exp: now + 3600, oid: 'u1', sub: 'u1', tid: 't1', preferred_username: 'expired@contoso.example', ver: '2.0' })}.`;
  }

  runProviderConformance(
    { describe, it, expect, beforeAll, afterAll },
    {
      name: '@vault/provider-azure on Lowkey Vault',
      timeoutMs: 60_000,
      createProvider: () => {
        current = countingProvider();
        return current.provider;
      },
      createSession: (provider) => managedIdentitySession(provider as ReturnType<typeof countingProvider>['provider']),
      fixtures,
      upstreamCalls: {
        reset: () => current?.reset(),
        count: () => current?.reads().length ?? 0,
      },
      expiredSession,
      // Loading the built provider loads no Azure SDK; the first read does (a closed loopback port).
      lazySdk: {
        entries: ['index.js', 'index.cjs'].map((file) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))),
        sdkPackages: ['@azure/identity', '@azure/keyvault-secrets', '@azure/msal-node'],
        link: { id: 'https://127.0.0.1:9/secrets/lazy' },
        session: {
          provider: 'azure',
          organization: 't',
          principal: 'p',
          expiresAt: null,
          createdAt: '',
          data: {
            method: 'client-secret',
            scope: 'https://vault.azure.net/.default',
            tenantId: 't',
            clientId: '11111111-2222-3333-4444-555555555555',
            clientSecret: 'x',
          },
        },
      },
      skip: {
        notFoundVsDenied:
          'Lowkey Vault accepts any bearer token, so no real denial exists; see test/conformance-stub.test.ts (403 from a stub vault)',
      },
    },
  );
});
