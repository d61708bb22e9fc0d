// Smoke test: @azure/keyvault-secrets with a managed-identity credential (Lowkey's token endpoint)
// reads a versioned secret from Lowkey Vault over verified TLS: the certificate is trusted through
// NODE_EXTRA_CA_CERTS only; NODE_TLS_REJECT_UNAUTHORIZED is never touched.
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { describe, expect, it } from 'vitest';
import { requirePeer } from '../../require-peer.mjs';
import { lowkeySeeder } from '../../seed/lowkey.mjs';

const peer = requirePeer('lowkey');
const run = `t${Date.now().toString(36)}`;

describe.skipIf(!peer)('Lowkey Vault peer', () => {
  const client = (vaultUrl = peer!.url) => {
    // IMDS-style managed identity, pointed at Lowkey's token endpoint (read when the credential is built).
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = peer!.tokenUrl;
    return new SecretClient(vaultUrl, new ManagedIdentityCredential(), {
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    });
  };

  it('TLS verification is on (no NODE_TLS_REJECT_UNAUTHORIZED=0)', () => {
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).not.toBe('0');
    expect(process.env.NODE_EXTRA_CA_CERTS).toBe(peer!.caFile);
  });

  it('reads the latest and a pinned version with a managed-identity credential', async () => {
    const kv = lowkeySeeder(peer!);
    const [v1, v2] = await kv.setSecretVersions(`${run}-db`, ['first-value', 'second-value']);
    expect(v1).toBeTruthy();
    expect(v2).not.toBe(v1);

    const c = client();
    expect((await c.getSecret(`${run}-db`)).value).toBe('second-value');
    expect((await c.getSecret(`${run}-db`, { version: v1 })).value).toBe('first-value');
  });

  it('reports a disabled version as an error, not a value', async () => {
    const kv = lowkeySeeder(peer!);
    const version = (await kv.setSecret(`${run}-off`, 'disabled-value')).version;
    await kv.disableSecret(`${run}-off`, version);
    // Azure answers 403 Forbidden/SecretDisabled; Lowkey answers 404 with the same sentence. Either
    // way the SDK must throw, and the provider maps both to SECRET_DISABLED (provider-azure tests).
    const error = await client()
      .getSecret(`${run}-off`)
      .then(
        (secret) => ({ leaked: secret.value }),
        (e: { statusCode?: number; message?: string }) => e,
      );
    expect(error).not.toHaveProperty('leaked');
    expect((error as { message: string }).message).toMatch(/not allowed on a disabled/);
    expect([403, 404]).toContain((error as { statusCode: number }).statusCode);
  });

  it('keeps the two vaults apart', async () => {
    expect(peer!.secondUrl).toBeTruthy();
    await lowkeySeeder(peer!, { vaultUrl: peer!.secondUrl! }).setSecret(`${run}-second`, 'second-vault-value');
    expect((await client(peer!.secondUrl!).getSecret(`${run}-second`)).value).toBe('second-vault-value');
    await expect(client().getSecret(`${run}-second`)).rejects.toMatchObject({ statusCode: 404 });
  });
});
