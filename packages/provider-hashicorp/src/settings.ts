/**
 * Validation of the team settings and of the URLs in them, shared by `setup` (which writes
 * them) and `connect` (which reads them from a team config anyone could have edited).
 */
import { IssueList, LOOPBACK_REDIRECT_EXPECTED, VaultError, loopbackRedirectProblem, type TeamSettings } from '@vault/core/provider';
import { normalizeVaultAddr, vaultConnection, type VaultConnection } from './client.js';
import { PROVIDER_ID, type HashicorpTeamSettings } from './options.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/** An absolute http(s) URL; plain http only for loopback dev servers (real Vault is https). */
export function checkServerUrl(issues: IssueList, field: string, value: string, example: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // URL's TypeError says nothing more than "Invalid URL"; the issue below is the report.
    issues.add(field, `"${value}" is not a URL`, example);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') issues.add(field, `uses ${url.protocol} instead of https:`, example);
  else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    issues.add(
      field,
      'uses plain http for a non-loopback host',
      `an https:// URL (http is allowed only for localhost dev servers), e.g. ${example}`,
    );
  } else if (url.username || url.password) issues.add(field, 'contains credentials', example);
  else if (url.search || url.hash) issues.add(field, 'has a query or fragment', example);
  else return url;
  return undefined;
}

/** The loopback redirect, by core's rule for its receiver: http, localhost or 127.0.0.1, an explicit port, a path. */
export function checkRedirectUri(issues: IssueList, field: string, value: string): void {
  const problem = loopbackRedirectProblem(value);
  if (problem) issues.add(field, problem, LOOPBACK_REDIRECT_EXPECTED);
}

/** Vault names: mount paths, roles, policies, namespaces. */
export function checkName(issues: IssueList, field: string, value: string, example: string, allowSlash = false): string | undefined {
  const trimmed = value.replace(/^\/+|\/+$/g, '');
  const pattern = allowSlash ? /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/ : /^[A-Za-z0-9_.-]+$/;
  if (!pattern.test(trimmed) || trimmed.split('/').some((s) => s === '.' || s === '..')) {
    issues.add(
      field,
      `"${value}" is not a valid name`,
      `letters, digits, "_", "-", "."${allowSlash ? ' and "/" between parts' : ''}, e.g. ${example}`,
    );
    return undefined;
  }
  return trimmed;
}

/** Reads the team config's `hashicorp` entry; INVALID_CONFIG listing every bad field. */
export function parseTeamSettings(team: TeamSettings | undefined): HashicorpTeamSettings {
  if (!team) {
    throw new VaultError(
      'NOT_CONNECTED',
      'HashiCorp Vault is not set up for this team: a team admin sets it up once, then members connect.',
      {
        provider: PROVIDER_ID,
        fix: {
          action: 'setup',
          provider: PROVIDER_ID,
          hint: 'ask a team admin (see the provider README), or connect with --method token / approle and --vault-addr',
        },
      },
    );
  }
  const issues = new IssueList();
  const str = (key: string): string | undefined =>
    typeof team[key] === 'string' && (team[key] as string).trim() !== '' ? (team[key] as string).trim() : undefined;
  const need = (key: string, expected: string): string | undefined => {
    const value = str(key);
    if (value === undefined) issues.add(key, 'is missing', expected);
    return value;
  };
  const oidcProviderUrl = need('oidcProviderUrl', 'the OIDC provider URL (issuer)');
  const jwtPath = need('jwtPath', 'the JWT auth mount path');
  const clientId = need('clientId', 'the OIDC client_id');
  const role = need('role', 'the JWT role name');
  const redirectUri = need('redirectUri', 'the loopback redirect URI');
  if (oidcProviderUrl)
    checkServerUrl(issues, 'oidcProviderUrl', oidcProviderUrl, 'https://vault.example.com/v1/identity/oidc/provider/vaultlink');
  if (redirectUri) checkRedirectUri(issues, 'redirectUri', redirectUri);
  if (jwtPath) checkName(issues, 'jwtPath', jwtPath, 'vaultlink-jwt', true);
  if (role) checkName(issues, 'role', role, 'vaultlink');
  const namespace = str('namespace');
  if (namespace) checkName(issues, 'namespace', namespace, 'team-a', true);
  const vaultAddr = str('vaultAddr');
  if (vaultAddr) checkServerUrl(issues, 'vaultAddr', vaultAddr, 'https://vault.example.com:8200');
  issues.throwIfAny('INVALID_CONFIG', 'The team config for HashiCorp Vault is malformed.', {
    provider: PROVIDER_ID,
    fix: { action: 'setup', provider: PROVIDER_ID, hint: 'ask a team admin to run it again' },
  });
  return {
    oidcProviderUrl: oidcProviderUrl!,
    jwtPath: jwtPath!.replace(/^\/+|\/+$/g, ''),
    clientId: clientId!,
    role: role!,
    redirectUri: redirectUri!,
    ...(namespace ? { namespace: namespace.replace(/^\/+|\/+$/g, '') } : {}),
    ...(vaultAddr ? { vaultAddr: normalizeVaultAddr(vaultAddr) } : {}),
  };
}

/** The Vault API address: the team's override, else the OIDC provider URL's origin. */
export function vaultAddrOf(settings: Pick<HashicorpTeamSettings, 'oidcProviderUrl' | 'vaultAddr'>): string {
  return settings.vaultAddr ?? new URL(settings.oidcProviderUrl).origin;
}

export function connectionOf(settings: HashicorpTeamSettings, caCert?: string): VaultConnection {
  return vaultConnection(vaultAddrOf(settings), settings.namespace, caCert);
}
