/**
 * Managed identity through the IMDS shape: AZURE_POD_IDENTITY_AUTHORITY_HOST replaces
 * 169.254.169.254, and MSAL requests <host>/metadata/identity/oauth2/token?api-version=2018-02-01
 * with `Metadata: true`, which Lowkey's token endpoint also answers. A separate file because MSAL
 * fixes the managed-identity source once per process.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { countingProvider, lowkeySeeder, managedIdentitySession, peer, uniqueName } from './helpers.js';
import { readLinks } from '@vault/core/provider';

describe.skipIf(!peer)('managed identity via AZURE_POD_IDENTITY_AUTHORITY_HOST on Lowkey', () => {
  const lowkey = peer!;

  beforeAll(() => {
    delete process.env.IDENTITY_ENDPOINT;
    delete process.env.IDENTITY_HEADER;
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = lowkey.tokenUrl;
  });

  it('signs in and reads a secret', async () => {
    const name = uniqueName('imds');
    await lowkeySeeder(lowkey).setSecret(name, 'imds-value-Ru5');
    const { provider } = countingProvider();
    const session = await managedIdentitySession(provider);
    expect(session.data.method).toBe('managed-identity');
    const [result] = await readLinks(provider, [provider.parseLink({ id: `${lowkey.url}/secrets/${name}` })], session, {
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ ok: true, value: 'imds-value-Ru5' });
  });
});
