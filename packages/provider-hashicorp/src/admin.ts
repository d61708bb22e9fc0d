/**
 * "Team Admin" made real through Vault: the admin token must hold, per `sys/capabilities-self`,
 * the capabilities the Vault-side guide lists (OIDC client and provider, `sys/auth`, `auth`,
 * `sys/policy`), checked on the concrete paths this setup touches.
 */
import { VaultError } from '@vault/core/provider';
import type { VaultCalls } from './client.js';
import { describeFailure, targetOf, toVaultError } from './errors.js';
import { PROVIDER_ID } from './options.js';

export interface AdminNames {
  oidcName: string;
  jwtPath: string;
  role: string;
  policyName: string;
}

export interface RequiredCapability {
  path: string;
  capabilities: string[];
}

/** The guide's admin policy, on the paths named by this setup. */
export function requiredAdminCapabilities(names: AdminNames): RequiredCapability[] {
  return [
    { path: `identity/oidc/client/${names.oidcName}`, capabilities: ['create', 'read'] },
    { path: `identity/oidc/provider/${names.oidcName}`, capabilities: ['create', 'read'] },
    { path: `sys/auth/${names.jwtPath}`, capabilities: ['sudo', 'update'] },
    { path: `auth/${names.jwtPath}/config`, capabilities: ['create', 'update'] },
    { path: `auth/${names.jwtPath}/role/${names.role}`, capabilities: ['create', 'update'] },
    { path: `sys/policy/${names.policyName}`, capabilities: ['update'] },
  ];
}

/** Throws ADMIN_REQUIRED naming every path where the token lacks a capability. */
export async function assertAdmin(calls: VaultCalls, names: AdminNames, action: string): Promise<void> {
  const required = requiredAdminCapabilities(names);
  let body: Record<string, unknown>;
  try {
    body = await calls.write('sys/capabilities-self', { paths: required.map((r) => r.path) });
  } catch (error) {
    const status = describeFailure(error).status;
    if (status === 403 || status === 401) {
      throw new VaultError(
        'ADMIN_REQUIRED',
        `Vault rejected the admin token while checking its capabilities (invalid or expired token) before ${action}.`,
        {
          provider: PROVIDER_ID,
          fix: 'pass a valid admin token with --admin-token-stdin or VAULT_TOKEN',
        },
      );
    }
    throw toVaultError(error, {
      action: "check the admin token's capabilities",
      path: 'sys/capabilities-self',
      capability: 'update',
      ...targetOf(calls.connection),
    });
  }
  const granted = (body?.['data'] ?? body) as Record<string, unknown>;
  const missing: Array<{ path: string; lacking: string[] }> = [];
  for (const { path, capabilities } of required) {
    const has = Array.isArray(granted[path]) ? (granted[path] as string[]) : [];
    if (has.includes('root')) continue;
    const lacking = has.includes('deny') ? capabilities : capabilities.filter((c) => !has.includes(c));
    if (lacking.length) missing.push({ path, lacking });
  }
  if (missing.length) {
    throw new VaultError(
      'ADMIN_REQUIRED',
      `The Vault token is not an admin token for ${action}; it lacks:\n${missing.map((m) => `  - ${m.path}: ${m.lacking.join(', ')}`).join('\n')}`,
      {
        provider: PROVIDER_ID,
        details: { missing },
        fix: 'use a token whose policy grants those capabilities (see the admin policy in the @vault/provider-hashicorp README)',
      },
    );
  }
}
