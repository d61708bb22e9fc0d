import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVaultError, type FlagSpec, type VaultError } from '@vault/core/provider';
import { CONNECT_FLAGS, DEFAULT_SCOPE, parseConnectOptions } from '../src/options.js';

const dir = mkdtempSync(join(tmpdir(), 'vaultlink-azure-opts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function invalid(fields: Record<string, unknown>, env: Record<string, string> = {}): VaultError {
  try {
    parseConnectOptions(fields as never, env);
  } catch (error) {
    if (isVaultError(error, 'INVALID_INPUT')) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('connect options', () => {
  it('defaults to the browser method and the public-cloud Key Vault scope', () => {
    expect(parseConnectOptions({}, {})).toEqual({
      method: 'browser',
      scope: DEFAULT_SCOPE,
      disableInstanceDiscovery: false,
      noBrowser: false,
    });
  });

  it('derives the sovereign-cloud scope from the authority host', () => {
    expect(parseConnectOptions({ authorityHost: 'https://login.chinacloudapi.cn/' }, {})).toMatchObject({
      authorityHost: 'https://login.chinacloudapi.cn',
      scope: 'https://vault.azure.cn/.default',
    });
    expect(parseConnectOptions({}, { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' }).scope).toBe(
      'https://vault.usgovcloudapi.net/.default',
    );
  });

  it('fills service-principal options from the standard AZURE_* variables', () => {
    const options = parseConnectOptions(
      { method: 'client-secret' },
      {
        AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
        AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
        AZURE_CLIENT_SECRET: 'from-env',
      },
    );
    expect(options).toMatchObject({
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      clientSecret: 'from-env',
    });
    // AZURE_CLIENT_ID belongs to service principals: it must not turn a browser sign-in into that app.
    expect(parseConnectOptions({}, { AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555' }).clientId).toBeUndefined();
  });

  it('flags options given for another method and unknown methods', () => {
    expect(
      invalid({ method: 'browser', clientSecret: 'x', managedIdentityClientId: 'not-a-guid' })
        .issues.map((i) => i.field)
        .sort(),
    ).toEqual(['client-secret', 'managed-identity-client-id', 'managed-identity-client-id']);
    const error = invalid({ method: 'password' });
    expect(error.issues[0]).toMatchObject({ field: 'method', expected: expect.stringContaining('device-code') });
  });

  it('checks the certificate file for client-certificate', () => {
    const base = { method: 'client-certificate', tenant: 't1', clientId: '11111111-2222-3333-4444-555555555555' };
    expect(invalid({ ...base, certificatePath: join(dir, 'missing.pem') }).issues[0]!.problem).toContain('ENOENT');
    const certOnly = join(dir, 'cert-only.pem');
    writeFileSync(certOnly, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(invalid({ ...base, certificatePath: certOnly }).issues[0]!.problem).toContain('private key');
    const both = join(dir, 'both.pem');
    writeFileSync(
      both,
      '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    );
    expect(parseConnectOptions({ ...base, certificatePath: both }, {})).toMatchObject({
      method: 'client-certificate',
      certificatePath: both,
    });
  });

  it('rejects malformed scope and tenant', () => {
    expect(
      invalid({ scope: 'https://vault.azure.net', tenant: 'bad tenant!' })
        .issues.map((i) => i.field)
        .sort(),
    ).toEqual(['scope', 'tenant']);
  });

  it('declares kebab-case flags, and marks only the client secret as secret', () => {
    for (const flag of CONNECT_FLAGS) expect(flag.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect((CONNECT_FLAGS as readonly FlagSpec[]).filter((f) => f.secret).map((f) => f.name)).toEqual(['client-secret']);
    // The CLI owns --no-browser and --browser.
    expect(CONNECT_FLAGS.map((f) => f.name)).not.toContain('no-browser');
  });
});
