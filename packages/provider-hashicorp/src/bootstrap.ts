/**
 * `setup --bootstrap`: the Vault-side setup of the guide, done with the admin token and
 * idempotently (read, compare, write only what differs), so running it twice changes nothing:
 * public OIDC client with the redirect URI, OIDC provider, JWT auth method with
 * oidc_discovery_url, read policy, and the role with bound_audiences / user_claim=sub / role_type=jwt.
 */
import { VaultError, type ProviderIO } from '@vault/core/provider';
import type { VaultCalls } from './client.js';
import { describeFailure, targetOf, toVaultError } from './errors.js';
import { PROVIDER_ID } from './options.js';

export interface BootstrapPlan {
  oidcName: string;
  redirectUri: string;
  /** Vault address given to the provider as its issuer, as in the guide. */
  issuerBase: string;
  jwtPath: string;
  role: string;
  policyName: string;
  policy: string;
}

export interface BootstrapResult {
  clientId: string;
  /** The OIDC provider's issuer: the OIDC provider URL members discover. */
  issuer: string;
}

/** The guide's read policy, or read on the given paths only. */
export function readPolicy(readPaths: readonly string[] | undefined): string {
  if (!readPaths?.length) {
    return [
      'path "*" {',
      '  capabilities = ["read"]',
      '}',
      'path "sys/*" {',
      '  capabilities = ["deny"]',
      '}',
      'path "auth/*" {',
      '  capabilities = ["deny"]',
      '}',
      '',
    ].join('\n');
  }
  return readPaths.map((p) => `path "${p}" {\n  capabilities = ["read"]\n}\n`).join('');
}

export async function bootstrap(calls: VaultCalls, plan: BootstrapPlan, io: ProviderIO): Promise<BootstrapResult> {
  const step = new Steps(calls);

  const clientPath = `identity/oidc/client/${plan.oidcName}`;
  const client = await step.read(clientPath);
  if (!client) {
    await step.write(clientPath, { client_type: 'public', assignments: ['allow_all'], redirect_uris: [plan.redirectUri] }, 'create');
    io.info(`Created the public OIDC client ${plan.oidcName}.`);
  } else {
    if (client['client_type'] !== 'public') {
      throw new VaultError(
        'INVALID_INPUT',
        `The OIDC client ${plan.oidcName} exists as a ${String(client['client_type'])} client; members sign in with a public client (PKCE, no secret).`,
        {
          provider: PROVIDER_ID,
          issues: [
            {
              field: 'oidc-name',
              problem: `names an existing ${String(client['client_type'])} client`,
              expected: 'the name of a public client, or a new name',
            },
          ],
        },
      );
    }
    const uris = strings(client['redirect_uris']);
    const assignments = strings(client['assignments']);
    if (!uris.includes(plan.redirectUri) || assignments.length === 0) {
      await step.write(
        clientPath,
        { redirect_uris: [...uris, plan.redirectUri], assignments: assignments.length ? assignments : ['allow_all'] },
        'update',
      );
      io.info(`Added the redirect URI ${plan.redirectUri} to the OIDC client ${plan.oidcName}.`);
    }
  }
  const clientId = String((await step.read(clientPath))?.['client_id'] ?? '');
  if (!clientId) throw new VaultError('INTERNAL', `Vault returned no client_id for ${clientPath}.`, { provider: PROVIDER_ID });

  const providerPath = `identity/oidc/provider/${plan.oidcName}`;
  const provider = await step.read(providerPath);
  if (!provider) {
    await step.write(providerPath, { allowed_client_ids: [clientId], issuer: plan.issuerBase }, 'create');
    io.info(`Created the OIDC provider ${plan.oidcName}.`);
  } else {
    const allowed = strings(provider['allowed_client_ids']);
    if (!allowed.includes(clientId) && !allowed.includes('*')) {
      await step.write(providerPath, { allowed_client_ids: [...allowed, clientId] }, 'update');
      io.info(`Allowed the client on the OIDC provider ${plan.oidcName}.`);
    }
  }
  const issuer = String((await step.read(providerPath))?.['issuer'] ?? '');
  if (!issuer) throw new VaultError('INTERNAL', `Vault returned no issuer for ${providerPath}.`, { provider: PROVIDER_ID });

  await enableJwtAuth(step, calls, plan.jwtPath, io);
  await step.write(`auth/${plan.jwtPath}/config`, { oidc_discovery_url: issuer, default_role: plan.role }, 'update');
  await writePolicy(step, plan, io);
  await step.write(
    `auth/${plan.jwtPath}/role/${plan.role}`,
    { role_type: 'jwt', bound_audiences: [clientId], user_claim: 'sub', token_policies: [plan.policyName] },
    'update',
  );
  io.info(`Configured auth/${plan.jwtPath} (discovery ${issuer}) and its role ${plan.role} with policy ${plan.policyName}.`);
  return { clientId, issuer };
}

async function enableJwtAuth(step: Steps, calls: VaultCalls, jwtPath: string, io: ProviderIO): Promise<void> {
  try {
    await calls.write(`sys/auth/${jwtPath}`, { type: 'jwt' });
    io.info(`Enabled the JWT auth method at auth/${jwtPath}.`);
    return;
  } catch (error) {
    const failure = describeFailure(error);
    if (!(failure.status === 400 && failure.errors.some((e) => /already in use/i.test(e))))
      throw step.fail(error, `sys/auth/${jwtPath}`, 'sudo, update');
  }
  // Already mounted: make sure it is a JWT/OIDC method before configuring it.
  const type = await mountedAuthType(calls, jwtPath);
  if (type !== undefined && type !== 'jwt' && type !== 'oidc') {
    throw new VaultError('INVALID_INPUT', `auth/${jwtPath} is already a "${type}" auth method.`, {
      provider: PROVIDER_ID,
      issues: [
        { field: 'jwt-path', problem: `is taken by a ${type} auth method`, expected: 'a free mount path or an existing JWT auth method' },
      ],
    });
  }
}

/** The type of an auth mount via sys/internal/ui/mounts, or undefined when the token cannot see it. */
async function mountedAuthType(calls: VaultCalls, jwtPath: string): Promise<string | undefined> {
  try {
    const body = await calls.read(`sys/internal/ui/mounts/auth/${jwtPath}`);
    return typeof body?.data?.type === 'string' ? body.data.type : undefined;
  } catch (error) {
    const status = describeFailure(error).status;
    // Not visible to this token: writing the config will fail clearly if it is not JWT.
    if (status === 403 || status === 404 || status === 400) return undefined;
    throw toVaultError(error, {
      action: `inspect auth/${jwtPath}`,
      path: `sys/internal/ui/mounts/auth/${jwtPath}`,
      ...targetOf(calls.connection),
    });
  }
}

async function writePolicy(step: Steps, plan: BootstrapPlan, io: ProviderIO): Promise<void> {
  const path = `sys/policy/${plan.policyName}`;
  // The guide's admin policy has no read on sys/policy: then we cannot compare and just write.
  const existing = await step.read(path, { deniedIsUnknown: true });
  const rules = existing?.['rules'] ?? existing?.['policy'];
  if (typeof rules === 'string' && rules.trim() === plan.policy.trim()) return;
  if (typeof rules === 'string') {
    throw new VaultError(
      'INVALID_INPUT',
      `The policy ${plan.policyName} already exists with other rules; bootstrap does not overwrite it.`,
      {
        provider: PROVIDER_ID,
        issues: [
          {
            field: 'policy-name',
            problem: 'names an existing policy with other rules',
            expected: 'a new policy name, or the same --read-path values it was created with',
          },
        ],
      },
    );
  }
  await step.write(path, { policy: plan.policy }, 'update');
  io.info(`Wrote the read policy ${plan.policyName}.`);
}

class Steps {
  constructor(private readonly calls: VaultCalls) {}

  fail(error: unknown, path: string, capability: string): VaultError {
    const failure = describeFailure(error);
    if (failure.status === 403) {
      return new VaultError('ADMIN_REQUIRED', `Vault denied "${capability}" on ${path} during bootstrap.`, {
        provider: PROVIDER_ID,
        details: { path, capability },
        fix: `grant the admin token's policy "${capability}" on ${path}`,
      });
    }
    return toVaultError(error, {
      action: `bootstrap ${path}`,
      path,
      capability,
      ...targetOf(this.calls.connection),
    });
  }

  /** The object's data, or undefined when it does not exist (or, if asked, when reading it is denied). */
  async read(path: string, options: { deniedIsUnknown?: boolean } = {}): Promise<Record<string, unknown> | undefined> {
    try {
      const body = await this.calls.read(path);
      return (body?.data ?? body) as Record<string, unknown>;
    } catch (error) {
      const status = describeFailure(error).status;
      if (status === 404) return undefined;
      if (status === 403 && options.deniedIsUnknown) return undefined;
      throw this.fail(error, path, 'read');
    }
  }

  async write(path: string, data: Record<string, unknown>, capability: string): Promise<void> {
    try {
      await this.calls.write(path, data);
    } catch (error) {
      throw this.fail(error, path, capability);
    }
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
