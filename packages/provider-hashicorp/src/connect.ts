/**
 * `vaultlink connect hashicorp`: the member signs in with the team's OIDC provider (default),
 * or with an existing token / AppRole for CI and teams without the OIDC provider.
 * With a team config, every method talks to the team's Vault and namespace.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VaultError, readFields, type AuthContext, type ProviderFields, type ProviderIO } from '@vault/core/provider';
import { normalizeVaultAddr, vaultConnection, type VaultConnection } from './client.js';
import type { HashicorpSession, VaultLogin } from './login.js';
import { signInWithOidc } from './oidc.js';
import {
  CONNECT_METHODS,
  DEFAULT_APPROLE_PATH,
  DEFAULT_LOGIN_TIMEOUT_SECONDS,
  CONNECT_FLAGS,
  PROVIDER_ID,
  type ConnectMethod,
} from './options.js';
import { checkName, checkServerUrl, connectionOf, parseTeamSettings } from './settings.js';

interface ConnectInput {
  method: ConnectMethod;
  token?: string;
  roleId?: string;
  secretId?: string;
  approlePath: string;
  loginTimeoutMs: number;
  vaultAddr?: string;
  namespace?: string;
  caCert?: string;
}

function parseConnectInput(fields: ProviderFields): ConnectInput {
  const read = readFields(CONNECT_FLAGS, fields, { strict: false });
  const issues = read.issues;
  const rawMethod = read.text('method') ?? 'oidc';
  const method = (CONNECT_METHODS as readonly string[]).includes(rawMethod) ? (rawMethod as ConnectMethod) : undefined;
  if (!method) issues.add('method', `"${rawMethod}" is not a sign-in method`, CONNECT_METHODS.join(', '));
  const rawTimeout = read.text('login-timeout');
  let loginTimeoutMs = DEFAULT_LOGIN_TIMEOUT_SECONDS * 1000;
  if (rawTimeout !== undefined) {
    if (/^[1-9][0-9]{0,4}$/.test(rawTimeout)) loginTimeoutMs = Number(rawTimeout) * 1000;
    else issues.add('login-timeout', `"${rawTimeout}" is not a number of seconds`, 'a whole number of seconds, e.g. 300');
  }
  const vaultAddr = read.text('vault-addr');
  if (vaultAddr) checkServerUrl(issues, 'vault-addr', vaultAddr, 'https://vault.example.com:8200');
  const rawNamespace = read.text('namespace');
  const namespace = rawNamespace ? checkName(issues, 'namespace', rawNamespace, 'team-a', true) : undefined;
  const rawApprolePath = read.text('approle-path');
  const approlePath = rawApprolePath
    ? (checkName(issues, 'approle-path', rawApprolePath, DEFAULT_APPROLE_PATH, true) ?? DEFAULT_APPROLE_PATH)
    : DEFAULT_APPROLE_PATH;
  issues.throwIfAny('INVALID_INPUT', 'The HashiCorp Vault sign-in options are not valid.', { provider: PROVIDER_ID });
  const token = read.text('token');
  const roleId = read.text('role-id');
  const secretId = read.text('secret-id');
  const caCert = read.text('ca-cert');
  return {
    method: method!,
    ...(token ? { token } : {}),
    ...(roleId ? { roleId } : {}),
    ...(secretId ? { secretId } : {}),
    approlePath,
    loginTimeoutMs,
    ...(vaultAddr ? { vaultAddr: normalizeVaultAddr(vaultAddr) } : {}),
    ...(namespace ? { namespace } : {}),
    ...(caCert ? { caCert } : {}),
  };
}

export async function authenticate(
  login: VaultLogin,
  fields: ProviderFields,
  io: ProviderIO,
  context: AuthContext,
): Promise<HashicorpSession> {
  const input = parseConnectInput(fields);
  const options = context.signal ? { signal: context.signal } : {};

  if (input.method === 'oidc') {
    const settings = parseTeamSettings(context.team);
    const connection = connectionOf(settings, input.caCert);
    const { idToken } = await signInWithOidc(settings, io, {
      timeoutMs: input.loginTimeoutMs,
      ...(input.caCert ? { caCert: input.caCert } : {}),
      ...options,
    });
    io.progress('Signing in to Vault');
    const token = await login.loginWithJwt(connection, settings.jwtPath, settings.role, idToken, options);
    return login.sessionFor(connection, token, 'oidc', { authPath: settings.jwtPath, role: settings.role }, options);
  }

  const connection = memberConnection(input, context);
  if (input.method === 'token') {
    const token = input.token ?? (await tokenFromHelperFile(io)) ?? (await promptFor(io, 'token', 'Vault token'));
    return login.sessionFor(connection, token, 'token', {}, options);
  }

  const roleId = input.roleId ?? (await promptFor(io, 'role-id', 'AppRole role_id', false));
  const secretId = input.secretId ?? (await promptFor(io, 'secret-id', 'AppRole secret_id'));
  const token = await login.loginWithAppRole(connection, input.approlePath, roleId, secretId, options);
  return login.sessionFor(connection, token, 'approle', { authPath: input.approlePath }, options);
}

/** Token/AppRole: the team's Vault when there is a team config, else --vault-addr / VAULT_ADDR (a personal connection). */
function memberConnection(input: ConnectInput, context: AuthContext): VaultConnection {
  if (context.team) return connectionOf(parseTeamSettings(context.team), input.caCert);
  if (!input.vaultAddr) {
    throw new VaultError('INVALID_INPUT', 'No Vault address: there is no team config and no --vault-addr.', {
      provider: PROVIDER_ID,
      issues: [
        {
          field: 'vault-addr',
          problem: 'is missing',
          expected: 'the Vault API address via --vault-addr or VAULT_ADDR, e.g. https://vault.example.com:8200',
        },
      ],
      fix: {
        action: 'connect',
        provider: PROVIDER_ID,
        flags: { method: input.method, 'vault-addr': 'https://VAULT:8200' },
        hint: `a personal connection; or ask a team admin to set ${PROVIDER_ID} up for the workspace`,
      },
    });
  }
  return vaultConnection(input.vaultAddr, input.namespace, input.caCert);
}

/** `~/.vault-token`, where `vault login` leaves the token (the vault CLI's default token helper). */
async function tokenFromHelperFile(io: ProviderIO): Promise<string | undefined> {
  const file = join(io.env['HOME'] ?? homedir(), '.vault-token');
  try {
    const token = (await readFile(file, 'utf8')).trim();
    return token === '' ? undefined : token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new VaultError('INVALID_INPUT', `Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      provider: PROVIDER_ID,
      issues: [
        { field: 'token', problem: `${file} is not readable`, expected: '--token-stdin, VAULT_TOKEN, or a readable ~/.vault-token' },
      ],
    });
  }
}

async function promptFor(io: ProviderIO, field: string, label: string, secret = true): Promise<string> {
  if (!io.interactive) {
    const where =
      field === 'token'
        ? '--token-stdin, VAULT_TOKEN or ~/.vault-token'
        : field === 'role-id'
          ? '--role-id or VAULT_ROLE_ID'
          : '--secret-id-stdin or VAULT_SECRET_ID';
    throw new VaultError('INVALID_INPUT', `The ${label} is missing.`, {
      provider: PROVIDER_ID,
      issues: [{ field, problem: 'is missing', expected: where }],
    });
  }
  const value = (await io.prompt(`${label}:`, { secret })).trim();
  if (value === '') {
    throw new VaultError('INVALID_INPUT', `The ${label} is empty.`, {
      provider: PROVIDER_ID,
      issues: [{ field, problem: 'is empty', expected: `a ${label}` }],
    });
  }
  return value;
}
