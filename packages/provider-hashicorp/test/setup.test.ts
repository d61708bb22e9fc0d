/** Setup and connect input validation, team settings, and --print-commands (no network). */
import { describe, expect, it } from 'vitest';
import { VaultError } from '@vault/core/provider';
import hashicorp, { createHashicorpProvider } from '../src/index.js';
import { shellQuote } from '../src/commands.js';
import { recordingIO } from './support/io.js';

async function rejection(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

describe('setup input', () => {
  it('without --bootstrap, lists each missing seed field and the admin token', async () => {
    const error = await rejection(hashicorp.setup!({}, recordingIO(), {}));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((i) => i.field)).toEqual(['oidc-provider-url', 'client-id', 'admin-token']);
  });

  it("checks every field's form at once", async () => {
    const error = await rejection(
      hashicorp.setup!(
        {
          oidcProviderUrl: 'http://vault.example.com/v1/identity/oidc/provider/x',
          clientId: 'c',
          adminToken: 't',
          jwtPath: 'bad path',
          role: 'a/b',
          redirectUri: 'http://example.com:8250/cb',
          namespace: 'team/../x',
          readPath: ['secret/"x'],
        },
        recordingIO(),
        {},
      ),
    );
    expect(error.issues.map((i) => i.field)).toEqual(['oidc-provider-url', 'jwt-path', 'role', 'namespace', 'redirect-uri', 'read-path']);
    expect(error.issues[0]!.problem).toContain('plain http');
  });

  it('refuses --bootstrap with --print-commands', async () => {
    const error = await rejection(
      hashicorp.setup!({ bootstrap: true, printCommands: true, vaultAddr: 'https://v.example.com' }, recordingIO(), {}),
    );
    expect(error.issues.map((i) => i.field)).toContain('print-commands');
  });

  it('redirect URI: loopback http with an explicit port only', async () => {
    for (const redirectUri of ['https://localhost:8250/cb', 'http://localhost/cb', 'http://10.0.0.1:8250/cb']) {
      const error = await rejection(
        hashicorp.setup!(
          { oidcProviderUrl: 'https://v.example.com/v1/identity/oidc/provider/x', clientId: 'c', adminToken: 't', redirectUri },
          recordingIO(),
          {},
        ),
      );
      expect(error.issues.map((i) => i.field)).toEqual(['redirect-uri']);
    }
  });
});

describe('--print-commands', () => {
  it("prints the guide's commands with the names filled in, in the namespace, and writes nothing", async () => {
    const io = recordingIO();
    const settings = await createHashicorpProvider().setup!(
      {
        printCommands: true,
        vaultAddr: 'https://vault.example.com',
        namespace: 'team-a',
        jwtPath: 'pm-jwt',
        role: 'pm',
        oidcName: 'pm',
        policyName: 'pm-read',
      },
      io,
      {},
    );
    // Nothing to record before the admin ran the commands: null tells core to write nothing.
    expect(settings).toBeNull();
    expect(io.messages).toEqual([
      expect.stringContaining('OpenBao'),
      'export VAULT_ADDR=https://vault.example.com',
      'export VAULT_NAMESPACE=team-a',
      'vault write identity/oidc/client/pm client_type=public assignments=allow_all redirect_uris=http://localhost:8250/oidc/callback',
      'CLIENT_ID="$(vault read -field=client_id identity/oidc/client/pm)"',
      'vault write identity/oidc/provider/pm allowed_client_ids="$CLIENT_ID" issuer=https://vault.example.com',
      'ISSUER="$(vault read -field=issuer identity/oidc/provider/pm)"',
      'vault write sys/auth/pm-jwt type=jwt',
      'vault write auth/pm-jwt/config oidc_discovery_url="$ISSUER" default_role=pm',
      `vault write sys/policy/pm-read policy='path "*" {\n  capabilities = ["read"]\n}\npath "sys/*" {\n  capabilities = ["deny"]\n}\npath "auth/*" {\n  capabilities = ["deny"]\n}\n'`,
      'vault write auth/pm-jwt/role/pm role_type=jwt bound_audiences="$CLIENT_ID" user_claim=sub token_policies=pm-read',
      expect.stringContaining('record the team settings'),
      'vaultlink setup hashicorp --oidc-provider-url "$ISSUER" --client-id "$CLIENT_ID" --jwt-path pm-jwt --role pm --redirect-uri http://localhost:8250/oidc/callback --namespace team-a',
    ]);
  });

  it('quotes values for the shell', () => {
    expect(shellQuote('plain-name_1.2')).toBe('plain-name_1.2');
    expect(shellQuote(`it's $HOME`)).toBe(`'it'\\''s $HOME'`);
  });
});

describe('connect input and team settings', () => {
  it("oidc without a team config is NOT_CONNECTED with the admin's command as the fix", async () => {
    const error = await rejection(hashicorp.authenticate({}, recordingIO(), {}));
    expect(error.code).toBe('NOT_CONNECTED');
    expect(error.fix).toMatchObject({ action: 'setup', provider: 'hashicorp' });
  });

  it('a hand-edited, broken team config is INVALID_CONFIG listing every bad field', async () => {
    const error = await rejection(
      hashicorp.authenticate({}, recordingIO(), {
        team: { oidcProviderUrl: 'ftp://x', jwtPath: '', role: 'r', redirectUri: 'http://localhost/cb' },
      }),
    );
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.issues.map((i) => i.field)).toEqual(['jwtPath', 'clientId', 'oidcProviderUrl', 'redirectUri']);
  });

  it('rejects an unknown method and a bad login timeout', async () => {
    const error = await rejection(hashicorp.authenticate({ method: 'ldap', loginTimeout: 'soon' }, recordingIO(), {}));
    expect(error.issues.map((i) => i.field)).toEqual(['method', 'login-timeout']);
  });

  it('token method without team config or --vault-addr names vault-addr', async () => {
    const error = await rejection(hashicorp.authenticate({ method: 'token', token: 't' }, recordingIO(), {}));
    expect(error.issues.map((i) => i.field)).toEqual(['vault-addr']);
  });

  it('approle without credentials (no terminal) names role-id', async () => {
    const error = await rejection(hashicorp.authenticate({ method: 'approle', vaultAddr: 'https://v.example.com' }, recordingIO(), {}));
    expect(error.issues.map((i) => i.field)).toEqual(['role-id']);
  });

  it('declares its flags: secrets marked, env fallbacks as the vault CLI uses them', () => {
    const byName = Object.fromEntries([...hashicorp.flags.setup!, ...hashicorp.flags.connect].map((f) => [f.name, f]));
    expect(byName['admin-token']).toMatchObject({ secret: true, env: 'VAULT_TOKEN' });
    expect(byName['token']).toMatchObject({ secret: true, env: 'VAULT_TOKEN' });
    expect(byName['secret-id']).toMatchObject({ secret: true, env: 'VAULT_SECRET_ID' });
    expect(byName['vault-addr']).toMatchObject({ env: 'VAULT_ADDR' });
    expect(byName['namespace']).toMatchObject({ env: 'VAULT_NAMESPACE' });
    expect(byName['ca-cert']).toMatchObject({ env: 'VAULT_CACERT' });
    expect(hashicorp.capabilities.adminManagedSetup).toBe(true);
  });
});
