import { describe, expect, it } from 'vitest';
import { isVaultError, type VaultError } from '@vault/core/provider';
import { azureProvider } from '../src/index.js';

const VERSION = '4387e9f3d6e14c459867679a90fd0f79';

function rejects(id: unknown): VaultError {
  try {
    azureProvider.parseLink({ id: id as string });
  } catch (error) {
    if (isVaultError(error, 'INVALID_LINK')) return error;
    throw error;
  }
  throw new Error(`accepted ${String(id)}`);
}

describe('secret identifiers', () => {
  it('parses latest and pinned identifiers in every Azure cloud', () => {
    expect(azureProvider.parseLink({ id: 'https://contoso.vault.azure.net/secrets/db-password' })).toEqual({
      vaultUrl: 'https://contoso.vault.azure.net',
      name: 'db-password',
      knownDomain: true,
    });
    expect(azureProvider.parseLink({ id: `https://contoso.vault.azure.net/secrets/db-password/${VERSION.toUpperCase()}/` })).toEqual({
      vaultUrl: 'https://contoso.vault.azure.net',
      name: 'db-password',
      version: VERSION,
      knownDomain: true,
    });
    for (const suffix of ['vault.azure.cn', 'vault.usgovcloudapi.net', 'vault.microsoftazure.de']) {
      const link = azureProvider.parseLink({ id: `https://kv-prod-01.${suffix}/secrets/A1-b2` });
      expect(link).toMatchObject({ vaultUrl: `https://kv-prod-01.${suffix}`, name: 'A1-b2', knownDomain: true });
      expect(azureProvider.linkWarnings!(link)).toEqual([]);
    }
  });

  it('accepts other https hosts such as an emulator on localhost, with a warning naming the host', () => {
    const link = azureProvider.parseLink({ id: 'https://localhost:8443/secrets/api-key' });
    expect(link).toEqual({ vaultUrl: 'https://localhost:8443', name: 'api-key', knownDomain: false });
    const warnings = azureProvider.linkWarnings!(link);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('localhost:8443 is not a known Key Vault domain');
  });

  it('summarizes without network and keys documents case-insensitively by version', () => {
    const latest = azureProvider.parseLink({ id: 'https://contoso.vault.azure.net/secrets/Db-Password' });
    const sameLatest = azureProvider.parseLink({ id: 'https://CONTOSO.vault.azure.net/secrets/db-password/' });
    const pinned = azureProvider.parseLink({ id: `https://contoso.vault.azure.net/secrets/db-password/${VERSION}` });
    expect(azureProvider.documentKey(latest)).toBe(azureProvider.documentKey(sameLatest));
    expect(azureProvider.documentKey(latest)).not.toBe(azureProvider.documentKey(pinned));
    expect(azureProvider.summarize(pinned)).toEqual({
      identifier: `https://contoso.vault.azure.net/secrets/db-password/${VERSION}`,
      version: VERSION,
      extra: { vault: 'https://contoso.vault.azure.net', secret: 'db-password' },
    });
    expect(azureProvider.summarize(latest).version).toBeUndefined();
  });

  it.each([
    ['', 'id', 'missing'],
    ['not a url', 'id', 'is not a URL'],
    ['http://contoso.vault.azure.net/secrets/a', 'scheme', 'uses http://'],
    ['https://contoso.vault.azure.net/', 'path', 'has no /secrets/<secret-name> path'],
    ['https://contoso.vault.azure.net/keys/signing', 'path', 'not to a secret'],
    ['https://contoso.vault.azure.net/certificates/tls', 'path', 'its secret is at /secrets/tls'],
    ['https://contoso.vault.azure.net/secrets/', 'name', 'missing'],
    ['https://contoso.vault.azure.net/secrets/db_password', 'name', 'has characters other than'],
    [`https://contoso.vault.azure.net/secrets/${'a'.repeat(128)}`, 'name', 'longer than 127'],
    ['https://contoso.vault.azure.net/secrets/db/v1', 'version', 'is not a version id'],
    [`https://contoso.vault.azure.net/secrets/db/${VERSION}/extra`, 'path', 'extra segments'],
    ['https://ab.vault.azure.net/secrets/db', 'vault', 'not a valid vault name'],
    ['https://bad--name.vault.azure.net/secrets/db', 'vault', 'not a valid vault name'],
    ['https://contoso.vault.azure.net/secrets/db?api-version=7.4', 'id', 'query string'],
  ])('rejects %j naming the bad part (%s)', (id, field, problem) => {
    const error = rejects(id);
    const issue = error.issues.find((i) => i.field === field);
    expect(issue, JSON.stringify(error.issues)).toBeDefined();
    expect(issue!.problem).toContain(problem);
    expect(issue!.expected.length).toBeGreaterThan(10);
    expect(error.message).toContain(`expected ${issue!.expected}`);
  });

  it('lists every bad part at once', () => {
    const error = rejects('http://x.vault.azure.net/secrets/bad_name/v2');
    expect(error.issues.map((i) => i.field).sort()).toEqual(['name', 'scheme', 'vault', 'version']);
    expect(error.provider).toBe('azure');
  });
});
