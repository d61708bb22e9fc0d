/**
 * `vaultlink setup hashicorp` (admin): validates the guide's fields, proves the token is an
 * admin token, optionally bootstraps Vault, and returns the team settings core writes.
 * Also the team-level `disconnect`, which needs the same admin rights.
 */
import { IssueList, VaultError, readFields, type ProviderFields, type ProviderIO, type TeamSettings } from '@vault/core/provider';
import { assertAdmin, type AdminNames } from './admin.js';
import { caAwareFetch } from './ca-fetch.js';
import { bootstrap, readPolicy } from './bootstrap.js';
import { normalizeVaultAddr, vaultConnection, type CallOptions, type ClientFactory, type VaultConnection } from './client.js';
import { renderSetupCommands } from './commands.js';
import {
  DEFAULT_JWT_PATH,
  DEFAULT_OIDC_NAME,
  DEFAULT_POLICY_NAME,
  DEFAULT_REDIRECT_URI,
  DEFAULT_ROLE,
  PROVIDER_ID,
  SETUP_FLAGS,
  type HashicorpTeamSettings,
} from './options.js';
import { checkName, checkRedirectUri, checkServerUrl, connectionOf, parseTeamSettings } from './settings.js';

interface SetupInput {
  oidcProviderUrl?: string;
  clientId?: string;
  jwtPath: string;
  role: string;
  namespace?: string;
  redirectUri: string;
  vaultAddr?: string;
  caCert?: string;
  adminToken?: string;
  bootstrap: boolean;
  printCommands: boolean;
  oidcName: string;
  policyName: string;
  readPaths: string[];
}

const ISSUER_EXAMPLE = 'https://vault.example.com/v1/identity/oidc/provider/vaultlink';

function parseSetupInput(fields: ProviderFields): SetupInput {
  const read = readFields(SETUP_FLAGS, fields, { strict: false });
  const issues = read.issues;
  const bootstrapFlag = read.flag('bootstrap');
  const printCommands = read.flag('print-commands');
  const oidcProviderUrl = read.text('oidc-provider-url');
  const clientId = read.text('client-id');
  const vaultAddr = read.text('vault-addr');
  const adminToken = read.text('admin-token');
  const caCert = read.text('ca-cert');

  if (bootstrapFlag && printCommands)
    issues.add(
      'print-commands',
      'cannot be combined with --bootstrap',
      'either --bootstrap (vaultlink runs the setup) or --print-commands (you run it)',
    );
  if (oidcProviderUrl) checkServerUrl(issues, 'oidc-provider-url', oidcProviderUrl, ISSUER_EXAMPLE);
  else if (!bootstrapFlag && !printCommands)
    issues.add('oidc-provider-url', 'is missing', `the OIDC provider's issuer, e.g. ${ISSUER_EXAMPLE} (or --bootstrap to create it)`);
  if (!clientId && !bootstrapFlag && !printCommands)
    issues.add(
      'client-id',
      'is missing',
      'the client_id of the public OIDC client (vault read -field=client_id identity/oidc/client/NAME), or --bootstrap',
    );
  if (vaultAddr) checkServerUrl(issues, 'vault-addr', vaultAddr, 'https://vault.example.com:8200');
  else if (!oidcProviderUrl && (bootstrapFlag || printCommands))
    issues.add('vault-addr', 'is missing', 'the Vault API address (--vault-addr or VAULT_ADDR), e.g. https://vault.example.com:8200');
  if (!adminToken && !printCommands) issues.add('admin-token', 'is missing', 'an admin Vault token via --admin-token-stdin or VAULT_TOKEN');

  const name = (field: (typeof SETUP_FLAGS)[number]['name'], fallback: string, example: string, allowSlash = false) => {
    const raw = read.text(field);
    return raw === undefined ? fallback : (checkName(issues, field, raw, example, allowSlash) ?? fallback);
  };
  const jwtPath = name('jwt-path', DEFAULT_JWT_PATH, DEFAULT_JWT_PATH, true);
  const role = name('role', DEFAULT_ROLE, DEFAULT_ROLE);
  const policyName = name('policy-name', DEFAULT_POLICY_NAME, DEFAULT_POLICY_NAME);
  const rawNamespace = read.text('namespace');
  const namespace = rawNamespace ? checkName(issues, 'namespace', rawNamespace, 'team-a', true) : undefined;
  const redirectUri = read.text('redirect-uri') ?? DEFAULT_REDIRECT_URI;
  checkRedirectUri(issues, 'redirect-uri', redirectUri);
  const fromUrl = oidcProviderUrl?.match(/\/identity\/oidc\/provider\/([^/]+)\/?$/)?.[1];
  const oidcName = name('oidc-name', fromUrl ?? DEFAULT_OIDC_NAME, DEFAULT_OIDC_NAME);
  const readPaths = read.list('read-path');
  for (const p of readPaths)
    if (/["\n{}]/.test(p)) issues.add('read-path', `"${p}" cannot go into a policy`, 'a Vault path or glob such as secret/data/team/*');

  issues.throwIfAny('INVALID_INPUT', 'The HashiCorp Vault setup is incomplete or invalid.', { provider: PROVIDER_ID });
  return {
    ...(oidcProviderUrl ? { oidcProviderUrl: oidcProviderUrl.replace(/\/+$/, '') } : {}),
    ...(clientId ? { clientId } : {}),
    jwtPath,
    role,
    ...(namespace ? { namespace } : {}),
    redirectUri,
    ...(vaultAddr ? { vaultAddr: normalizeVaultAddr(vaultAddr) } : {}),
    ...(caCert ? { caCert } : {}),
    ...(adminToken ? { adminToken } : {}),
    bootstrap: bootstrapFlag,
    printCommands,
    oidcName,
    policyName,
    readPaths,
  };
}

function adminConnection(input: { vaultAddr?: string; oidcProviderUrl?: string; namespace?: string; caCert?: string }): VaultConnection {
  return vaultConnection(input.vaultAddr ?? new URL(input.oidcProviderUrl!).origin, input.namespace, input.caCert);
}

export async function runSetup(
  clients: ClientFactory,
  fields: ProviderFields,
  io: ProviderIO,
  call: CallOptions = {},
): Promise<TeamSettings | null> {
  const input = parseSetupInput(fields);
  const connection = adminConnection(input);
  const names: AdminNames = { oidcName: input.oidcName, jwtPath: input.jwtPath, role: input.role, policyName: input.policyName };
  const plan = { ...names, redirectUri: input.redirectUri, issuerBase: connection.vaultAddr, policy: readPolicy(input.readPaths) };

  if (input.printCommands) {
    for (const line of renderSetupCommands({
      ...plan,
      vaultAddr: connection.vaultAddr,
      ...(input.namespace ? { namespace: input.namespace } : {}),
    }))
      io.info(line);
    // Without the client_id and issuer there is nothing to record yet: the admin runs the
    // commands first. With both, setup goes on and records them (no change in Vault).
    if (!input.oidcProviderUrl || !input.clientId) return null;
    if (!input.adminToken) {
      new IssueList()
        .add('admin-token', 'is missing', 'an admin Vault token via --admin-token-stdin or VAULT_TOKEN')
        .throwIfAny('INVALID_INPUT', 'Printed the Vault-side setup commands; nothing was written.', { provider: PROVIDER_ID });
    }
  }

  const calls = await clients.create(connection, input.adminToken, call);
  await assertAdmin(calls, names, 'setting up HashiCorp Vault');

  let clientId = input.clientId;
  let oidcProviderUrl = input.oidcProviderUrl;
  if (input.bootstrap) {
    const result = await bootstrap(calls, plan, io);
    if (clientId && clientId !== result.clientId)
      io.warn(`--client-id ${clientId} differs from the bootstrapped client's ${result.clientId}; using the latter.`);
    clientId = result.clientId;
    oidcProviderUrl = result.issuer;
  }

  const settings: HashicorpTeamSettings = {
    oidcProviderUrl: oidcProviderUrl!,
    jwtPath: input.jwtPath,
    clientId: clientId!,
    role: input.role,
    redirectUri: input.redirectUri,
    ...(input.namespace ? { namespace: input.namespace } : {}),
    ...(input.vaultAddr && input.vaultAddr !== new URL(oidcProviderUrl!).origin ? { vaultAddr: input.vaultAddr } : {}),
  };
  await checkDiscovery(settings, input.caCert, io, call);
  return { ...settings };
}

/** A typo in the OIDC provider URL should fail at setup, not at every member's connect. */
async function checkDiscovery(
  settings: HashicorpTeamSettings,
  caCert: string | undefined,
  io: ProviderIO,
  call: CallOptions,
): Promise<void> {
  const url = `${settings.oidcProviderUrl}/.well-known/openid-configuration`;
  let response: Response;
  try {
    const fetchWithCa = await caAwareFetch(caCert ? { caCert } : {});
    const timeout = AbortSignal.timeout(call.timeoutMs ?? 15_000);
    response = await fetchWithCa(url, { signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout });
  } catch (error) {
    // Not fatal: the admin's network may differ from the members' (VAULT_CACERT, proxies).
    io.warn(`Could not fetch ${url} to check the OIDC provider URL (${(error as Error).message}); members' sign-in will tell.`);
    return;
  }
  if (response.status === 404) {
    throw new VaultError('INVALID_INPUT', `No OIDC provider answers at ${settings.oidcProviderUrl}.`, {
      provider: PROVIDER_ID,
      issues: [
        {
          field: 'oidc-provider-url',
          problem: 'has no OpenID discovery document',
          expected: `the provider's issuer, e.g. ${ISSUER_EXAMPLE}`,
        },
      ],
    });
  }
  if (response.ok) {
    const issuer = ((await response.json()) as { issuer?: unknown }).issuer;
    if (typeof issuer === 'string' && issuer.replace(/\/+$/, '') !== settings.oidcProviderUrl) {
      throw new VaultError('INVALID_INPUT', `The OIDC provider at that URL calls itself ${issuer}; members' ID token checks would fail.`, {
        provider: PROVIDER_ID,
        issues: [{ field: 'oidc-provider-url', problem: `differs from the provider's issuer ${issuer}`, expected: issuer }],
      });
    }
  } else io.warn(`${url} answered ${response.status}; check the OIDC provider URL if members cannot sign in.`);
}

/** Team-level disconnect: the same admin check as setup, against the team's Vault. */
export async function runTeardown(
  clients: ClientFactory,
  team: TeamSettings,
  fields: ProviderFields,
  call: CallOptions = {},
): Promise<void> {
  const settings = parseTeamSettings(team);
  const read = readFields(SETUP_FLAGS, fields, { strict: false });
  const adminToken = read.text('admin-token');
  if (!adminToken) {
    throw new VaultError('ADMIN_REQUIRED', 'Disconnecting HashiCorp Vault for the team needs an admin Vault token.', {
      provider: PROVIDER_ID,
      issues: [{ field: 'admin-token', problem: 'is missing', expected: 'an admin Vault token via --admin-token-stdin or VAULT_TOKEN' }],
      fix: {
        action: 'disconnect',
        provider: PROVIDER_ID,
        flags: { 'admin-token-stdin': true },
        hint: 'or log out of hashicorp to drop only your own session',
      },
    });
  }
  const calls = await clients.create(connectionOf(settings, read.text('ca-cert')), adminToken, call);
  const oidcName = settings.oidcProviderUrl.match(/\/identity\/oidc\/provider\/([^/]+)\/?$/)?.[1] ?? DEFAULT_OIDC_NAME;
  const policyName = read.text('policy-name') ?? DEFAULT_POLICY_NAME;
  await assertAdmin(calls, { oidcName, jwtPath: settings.jwtPath, role: settings.role, policyName }, 'disconnecting the team integration');
}
