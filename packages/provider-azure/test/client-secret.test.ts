/**
 * Service-principal sign-in (client secret, client certificate) through @azure/identity against
 * a stubbed Entra token endpoint, then reads through @azure/keyvault-secrets against stubbed
 * Key Vault answers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVaultError, readLinks } from '@vault/core/provider';
import { createAzureProvider, type AzureSession } from '../src/index.js';
import { selfSignedCertificate } from './support/certificate.js';
import { AUTHORITY_HOST, TENANT_ID, entraError, startEntraStub, type EntraStub } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';
import { VAULT, challengeHeaders, keyVault, secretBody } from './support/keyvault-stub.js';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const CLIENT_SECRET = 'stub-client-secret-value';
const FIELDS = {
  method: 'client-secret',
  tenant: TENANT_ID,
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  authorityHost: AUTHORITY_HOST,
  disableInstanceDiscovery: true,
};

let entra: EntraStub;
beforeEach(() => {
  nock.disableNetConnect();
  entra = startEntraStub();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('client-secret sign-in', () => {
  it('signs in, names tenant and application, and keeps the secret only in the session data', async () => {
    const provider = createAzureProvider();
    const session = await provider.authenticate(FIELDS, recordingIO(), {});
    expect(session).toMatchObject({
      provider: 'azure',
      organization: TENANT_ID,
      principal: `application ${CLIENT_ID} (client secret)`,
      expiresAt: null,
    });
    expect(session.data).toMatchObject({ method: 'client-secret', tenantId: TENANT_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(entra.tokenRequests).toHaveLength(1);
    expect(entra.tokenRequests[0]).toMatchObject({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: 'https://vault.azure.net/.default',
    });
  });

  it("reports a rejected secret as AUTH_FAILED with Entra's reason, never echoing the secret", async () => {
    entra.onToken = () => entraError('invalid_client', 'AADSTS7000215: Invalid client secret provided.', 401);
    const error = await createAzureProvider()
      .authenticate(FIELDS, recordingIO(), {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'AUTH_FAILED'), String(error)).toBe(true);
    expect((error as Error).message).toContain('invalid_client');
    expect((error as Error).message).toContain('AADSTS7000215');
    expect((error as Error).message).not.toContain(CLIENT_SECRET);
  });

  it('lists every missing or malformed option at once', async () => {
    const error = await createAzureProvider()
      .authenticate({ method: 'client-secret', clientId: 'nope', authorityHost: 'http://login.example' }, recordingIO({ env: {} }), {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as { issues: Array<{ field: string }> }).issues.map((i) => i.field).sort()).toEqual([
      'authority-host',
      'client-id',
      'client-secret',
      'tenant',
    ]);
    expect(entra.tokenRequests).toHaveLength(0);
  });

  it('a new provider (a new process) reads with the stored session: challenge, token, value', async () => {
    const session = (await createAzureProvider().authenticate(FIELDS, recordingIO(), {})) as AzureSession;
    const stored = JSON.parse(JSON.stringify(session)) as AzureSession;
    keyVault().get('/secrets/db-password/').query(true).reply(401, '', challengeHeaders());
    keyVault()
      .get('/secrets/db-password/')
      .query(true)
      .matchHeader('authorization', /^Bearer /)
      .reply(200, secretBody('db-password', 's3cr3t-value', { version: 'aaaabbbbccccddddeeeeffff00001111' }));
    const provider = createAzureProvider();
    const link = provider.parseLink({ id: `${VAULT}/secrets/db-password` });
    const [result] = await readLinks(provider, [link], stored, { signal: new AbortController().signal });
    expect(result).toEqual({ ok: true, value: 's3cr3t-value', version: 'aaaabbbbccccddddeeeeffff00001111' });
    expect(entra.tokenRequests.at(-1)).toMatchObject({ grant_type: 'client_credentials', client_secret: CLIENT_SECRET });
  });

  it('reauth reuses the stored secret and options when none are given again', async () => {
    const provider = createAzureProvider();
    const first = await provider.authenticate(FIELDS, recordingIO(), {});
    const again = await provider.authenticate({}, recordingIO({ env: {} }), { previous: first });
    expect(again.data).toMatchObject({ method: 'client-secret', clientSecret: CLIENT_SECRET, authorityHost: AUTHORITY_HOST });
    expect(entra.tokenRequests).toHaveLength(2);
  });
});

describe('client-certificate sign-in', () => {
  it('signs a client assertion with the PEM key and keeps only the path in the session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaultlink-cert-'));
    try {
      const pem = join(dir, 'app.pem');
      // PEM with the unencrypted key followed by the certificate, as identity expects.
      const { keyFile, certFile } = selfSignedCertificate(dir, 'vaultlink-test');
      writeFileSync(pem, readFileSync(keyFile, 'utf8') + readFileSync(certFile, 'utf8'));
      const session = await createAzureProvider().authenticate(
        {
          method: 'client-certificate',
          tenant: TENANT_ID,
          clientId: CLIENT_ID,
          certificatePath: pem,
          authorityHost: AUTHORITY_HOST,
          disableInstanceDiscovery: true,
        },
        recordingIO(),
        {},
      );
      expect(session).toMatchObject({ organization: TENANT_ID, principal: `application ${CLIENT_ID} (certificate)` });
      expect(session.data).toEqual({
        method: 'client-certificate',
        scope: 'https://vault.azure.net/.default',
        tenantId: TENANT_ID,
        clientId: CLIENT_ID,
        certificatePath: pem,
        authorityHost: AUTHORITY_HOST,
        disableInstanceDiscovery: true,
      });
      const request = entra.tokenRequests[0]!;
      expect(request).toMatchObject({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      });
      const header = JSON.parse(Buffer.from(request.client_assertion!.split('.')[0]!, 'base64url').toString()) as Record<string, string>;
      expect(header.alg).toMatch(/^(RS256|PS256)$/);
      expect(header.x5t ?? header['x5t#S256']).toBeTruthy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
