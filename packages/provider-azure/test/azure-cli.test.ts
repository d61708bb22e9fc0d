/**
 * `--method cli`: @azure/identity's AzureCliCredential runs `az account get-access-token`.
 * A stand-in `az` on PATH answers the way Azure CLI 2.54+ does, or fails like a logged-out one.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVaultError } from '@vault/core/provider';
import { createAzureProvider } from '../src/index.js';
import { TENANT_ID, USER_OID, USERNAME, fakeJwt } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';

let dir: string;
let savedPath: string | undefined;

function installAz(script: string): void {
  const az = join(dir, 'az');
  writeFileSync(az, `#!/bin/sh\necho "$@" >> "${join(dir, 'calls.log')}"\n${script}\n`);
  chmodSync(az, 0o755);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vaultlink-az-'));
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}:${process.env.PATH}`;
});
afterEach(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

describe('Azure CLI sign-in', () => {
  it('uses the az login, names the tenant from the token and keeps no token in the session', async () => {
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const token = fakeJwt({ tid: TENANT_ID, oid: USER_OID, upn: USERNAME, aud: 'https://vault.azure.net' });
    installAz(
      `cat <<'JSON'\n${JSON.stringify({ accessToken: token, expiresOn: new Date(expires * 1000).toISOString(), expires_on: expires, tenant: TENANT_ID, tokenType: 'Bearer' })}\nJSON`,
    );
    const session = await createAzureProvider().authenticate({ method: 'cli' }, recordingIO({ env: {} }), {});
    expect(session).toMatchObject({ organization: TENANT_ID, principal: `${USERNAME} (Azure CLI)`, expiresAt: null });
    expect(session.data).toEqual({ method: 'cli', scope: 'https://vault.azure.net/.default', tenantId: TENANT_ID });
    expect(JSON.stringify(session)).not.toContain(token);
    expect(readFileSync(join(dir, 'calls.log'), 'utf8')).toContain(
      'account get-access-token --output json --resource https://vault.azure.net',
    );
  });

  it('a logged-out az fails connect with AUTH_FAILED that says to run az login', async () => {
    installAz(`echo "ERROR: Please run 'az login' to setup account." >&2\nexit 1`);
    const error = await createAzureProvider()
      .authenticate({ method: 'cli' }, recordingIO({ env: {} }), {})
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'AUTH_FAILED'), String(error)).toBe(true);
    expect((error as Error).message).toContain('az login');
  });
});
