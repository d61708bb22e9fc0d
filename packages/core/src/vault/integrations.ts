/**
 * Integrations: one per provider. Connect signs in and stores the session (encrypted, by
 * the store) with the non-secret connect options reauth reuses. An integration is never
 * edited in place: connecting again is ALREADY_CONNECTED. Admin-managed providers take
 * their settings from the team config, which only `setup` (and an admin's disconnect) write.
 */
import type { AnyProvider, ProviderFields, ProviderIO, Session, TeamSettings } from '../contract.js';
import { VaultError, isVaultError } from '../errors.js';
import type { Integration, VaultData } from '../model.js';
import { fieldName } from '../sdk/fields.js';
import { emptyTeamConfig, readTeamConfig, teamConfigWritePath, writeTeamConfigFile } from '../team-config.js';
import type { IntegrationInfo, SignOutOutcome } from '../vault-api.js';
import type { VaultContext } from './context.js';
import { toVaultError } from './error-mapping.js';
import { isLoggedOut, isSessionExpired, notConnectedError } from './sessions.js';
import { signOutSession } from './sign-out.js';
import { dropProviderCache, teamDisconnection } from './team-binding.js';

export async function connect(ctx: VaultContext, providerId: string, fields: ProviderFields, io: ProviderIO): Promise<IntegrationInfo> {
  const provider = await ctx.getProvider(providerId);
  assertNotConnected(await ctx.store.read(), providerId);
  const team = await teamSettingsFor(ctx, provider, providerId);
  const session = checkSession(await callProvider(providerId, () => provider.authenticate(fields, io, team ? { team } : {})), providerId);
  const integration: Integration = {
    provider: providerId,
    connectOptions: connectOptions(provider, fields),
    session,
    connectedAt: new Date(ctx.now()).toISOString(),
    // Admin-managed: remember the team settings signed in with (null: a personal connection).
    ...(provider.capabilities.adminManagedSetup ? { team: team ?? null } : {}),
  };
  const data = await ctx.store.update((draft) => {
    assertNotConnected(draft, providerId); // someone may have connected meanwhile
    draft.integrations[providerId] = integration;
    return draft;
  });
  return integrationInfo(provider, integration, data, ctx.now());
}

export async function reauth(ctx: VaultContext, providerId: string, io: ProviderIO, fields: ProviderFields = {}): Promise<IntegrationInfo> {
  const provider = await ctx.getProvider(providerId);
  const existing = (await ctx.store.read()).integrations[providerId];
  if (!existing) throw notConnectedError(providerId);
  // A personal connection stays personal; a team one signs in with the current team settings.
  const team = existing.team === null ? undefined : await teamSettingsFor(ctx, provider, providerId, true);
  const options = { ...(existing.connectOptions as ProviderFields), ...definedFields(fields) };
  const previous = isLoggedOut(existing) ? undefined : existing.session;
  const session = checkSession(
    await callProvider(providerId, () =>
      provider.authenticate(options, io, { ...(team ? { team } : {}), ...(previous ? { previous } : {}) }),
    ),
    providerId,
  );
  if (session.organization !== existing.session.organization) {
    throw new VaultError(
      'ALREADY_CONNECTED',
      `Signed in to ${session.organization}, but the ${providerId} integration is for ${existing.session.organization}; an integration cannot be changed.`,
      {
        provider: providerId,
        fix: { action: 'reconnect', provider: providerId },
      },
    );
  }
  const data = await ctx.store.update((draft) => {
    const current = draft.integrations[providerId];
    if (!current) throw notConnectedError(providerId);
    current.session = session;
    current.connectOptions = connectOptions(provider, options);
    if (team) current.team = team;
    delete current.loggedOutAt;
    return draft;
  });
  return integrationInfo(provider, data.integrations[providerId]!, data, ctx.now());
}

export async function disconnect(
  ctx: VaultContext,
  providerId: string,
  io: ProviderIO,
  fields: ProviderFields = {},
): Promise<SignOutOutcome> {
  const integration = (await ctx.store.read()).integrations[providerId];
  let provider: AnyProvider | undefined;
  try {
    provider = await ctx.getProvider(providerId);
  } catch (error) {
    // A provider that is no longer installed can still be disconnected locally.
    if (!isVaultError(error, 'PROVIDER_NOT_INSTALLED') || !integration) throw error;
    io.warn(`The ${providerId} provider is not installed; removing the local integration only.`);
  }
  let removedTeamEntry = false;
  if (provider?.capabilities.adminManagedSetup) {
    const loaded = await readTeamConfig(ctx.team);
    const settings = loaded?.config.integrations[providerId];
    if (loaded && settings) {
      if (!provider.teardown) {
        throw new VaultError('PROVIDER_INVALID', `The ${providerId} provider is admin-managed but cannot tear down its team integration.`, {
          provider: providerId,
          fix: { action: 'report', hint: `admin-managed providers must implement teardown; the ${providerId} provider does not` },
        });
      }
      await ctx.gate(providerId, provider).run((call) => provider!.teardown!(settings, fields, io, call));
      const next = structuredClone(loaded.config);
      delete next.integrations[providerId];
      await writeTeamConfigFile(loaded.path, next);
      removedTeamEntry = true;
    }
  }
  if (!integration && !removedTeamEntry) throw notConnectedError(providerId);
  let outcome: SignOutOutcome = { revoked: null };
  if (integration && provider && !isLoggedOut(integration)) {
    try {
      outcome = await signOutSession(ctx, providerId, provider, integration.session);
    } catch (error) {
      // The local session is dropped either way; say that the upstream token may still live.
      io.warn(`Could not revoke the ${providerId} session upstream (${toVaultError(error, providerId).code}); it expires on its own.`);
      outcome = { revoked: false };
    }
  }
  if (integration) {
    await ctx.store.update((draft) => {
      delete draft.integrations[providerId];
    });
  }
  dropProviderCache(ctx, providerId);
  return outcome;
}

export async function logout(ctx: VaultContext, providerId: string): Promise<SignOutOutcome> {
  const integration = (await ctx.store.read()).integrations[providerId];
  if (!integration) throw notConnectedError(providerId);
  let outcome: SignOutOutcome = { revoked: null };
  if (!isLoggedOut(integration)) {
    const provider = await ctx.getProvider(providerId);
    outcome = await signOutSession(ctx, providerId, provider, integration.session);
  }
  await ctx.store.update((draft) => {
    const current = draft.integrations[providerId];
    if (!current) return;
    // Keep who/where for `integrations`; drop the credentials.
    current.session = { ...current.session, data: null, expiresAt: new Date(ctx.now()).toISOString() };
    current.loggedOutAt = new Date(ctx.now()).toISOString();
  });
  dropProviderCache(ctx, providerId);
  return outcome;
}

export async function setup(ctx: VaultContext, providerId: string, fields: ProviderFields, io: ProviderIO): Promise<TeamSettings | null> {
  const provider = await ctx.getProvider(providerId);
  if (!provider.capabilities.adminManagedSetup || !provider.setup) {
    throw new VaultError('INVALID_INPUT', `The ${providerId} provider is not admin-managed; there is nothing to set up.`, {
      issues: [{ field: 'provider', problem: `${providerId} has no team setup`, expected: 'an admin-managed provider such as hashicorp' }],
      fix: { action: 'connect', provider: providerId },
    });
  }
  const loaded = await readTeamConfig(ctx.team);
  const alreadySetUp = () =>
    new VaultError('ALREADY_CONNECTED', `The team config ${loaded!.path} already sets up ${providerId}; an integration cannot be edited.`, {
      provider: providerId,
      fix: { action: 'disconnect', provider: providerId, hint: `as an admin, then set ${providerId} up again` },
    });
  // A dry run (e.g. --print-commands) changes nothing, so it may run when the team is set up.
  const dryRun = (provider.flags.setup ?? []).some((flag) => flag.dryRun === true && fields[fieldName(flag.name)] === true);
  if (loaded?.config.integrations[providerId] && !dryRun) throw alreadySetUp();
  // Setup may change several things upstream: a throttled run is reported, not started again.
  const settings = await ctx
    .gate(providerId, provider)
    .run((call) => provider.setup!(fields, io, { signal: call.signal, timeoutMs: call.timeoutMs }), undefined, { retryThrottled: false });
  if (settings === null) return null;
  if (loaded?.config.integrations[providerId]) throw alreadySetUp();
  const path = loaded?.path ?? (await teamConfigWritePath(ctx.team));
  const config = loaded ? structuredClone(loaded.config) : emptyTeamConfig();
  config.integrations[providerId] = settings;
  await writeTeamConfigFile(path, config);
  io.info(`Wrote the ${providerId} team settings to ${path}.`);
  return settings;
}

export async function listIntegrations(ctx: VaultContext): Promise<IntegrationInfo[]> {
  const data = await ctx.store.read();
  const infos: IntegrationInfo[] = [];
  for (const integration of Object.values(data.integrations).sort((a, b) => a.provider.localeCompare(b.provider))) {
    let provider: AnyProvider | undefined;
    try {
      provider = await ctx.getProvider(integration.provider);
    } catch (error) {
      if (!isVaultError(error)) throw error;
      provider = undefined; // listed with what the vault knows; the provider's name is a nicety
    }
    const info = integrationInfo(provider, integration, data, ctx.now());
    // A team config that cannot be read (malformed) disconnects too: references fail closed on it.
    const disconnected = await teamDisconnection(ctx, integration).catch((error: unknown) => toVaultError(error, integration.provider));
    if (disconnected)
      info.disconnected = { message: disconnected.message.split('\n')[0]!, ...(disconnected.fix ? { fix: disconnected.fix } : {}) };
    infos.push(info);
  }
  return infos;
}

export function integrationInfo(
  provider: AnyProvider | undefined,
  integration: Integration,
  data: VaultData,
  now: number,
): IntegrationInfo {
  return {
    provider: integration.provider,
    displayName: provider?.displayName ?? integration.provider,
    organization: integration.session.organization,
    principal: integration.session.principal,
    connectedAt: integration.connectedAt,
    expiresAt: integration.session.expiresAt,
    expired: isLoggedOut(integration) || isSessionExpired(integration.session, now),
    adminManaged: provider?.capabilities.adminManagedSetup ?? false,
    linkedSecrets: Object.values(data.secrets).filter((s) => s.secret.kind === 'linked' && s.secret.provider === integration.provider)
      .length,
  };
}

function assertNotConnected(data: VaultData, providerId: string): void {
  const existing = data.integrations[providerId];
  if (existing) {
    throw new VaultError(
      'ALREADY_CONNECTED',
      `An integration with ${providerId} already exists (${existing.session.organization}, ${existing.session.principal}); there is one per provider.`,
      {
        provider: providerId,
        fix: { action: 'disconnect', provider: providerId },
      },
    );
  }
}

/**
 * The team settings an admin-managed provider signs in with. Without any, a provider that allows
 * personal connections gets none (unless `required`: a team integration being renewed).
 */
async function teamSettingsFor(
  ctx: VaultContext,
  provider: AnyProvider,
  providerId: string,
  required = false,
): Promise<TeamSettings | undefined> {
  if (!provider.capabilities.adminManagedSetup) return undefined;
  const loaded = await readTeamConfig(ctx.team);
  const settings = loaded?.config.integrations[providerId];
  if (!settings && provider.capabilities.connectWithoutTeam && !required) return undefined;
  if (!settings) {
    throw new VaultError(
      'NOT_CONNECTED',
      `The ${providerId} integration is admin-managed and this workspace has no team settings for it${loaded ? ` in ${loaded.path}` : ''}.`,
      {
        provider: providerId,
        fix: { action: 'setup', provider: providerId, hint: 'or set VAULTLINK_TEAM_CONFIG to the team config file' },
      },
    );
  }
  return settings;
}

/** Connect options that reauth may reuse: flags the provider marks secret are left out. */
function connectOptions(provider: AnyProvider, fields: ProviderFields): Record<string, unknown> {
  const secret = new Set(provider.flags.connect.filter((f) => f.secret).map((f) => fieldName(f.name)));
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && !secret.has(key)) kept[key] = value;
  return kept;
}

function definedFields(fields: ProviderFields): ProviderFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

function checkSession(session: Session, providerId: string): Session {
  if (!session || typeof session !== 'object' || typeof session.organization !== 'string' || typeof session.principal !== 'string') {
    throw new VaultError('PROVIDER_INVALID', `The ${providerId} provider returned a session without organization/principal.`, {
      provider: providerId,
      fix: {
        action: 'report',
        hint: `authenticate must return a session with organization and principal; the ${providerId} provider did not`,
      },
    });
  }
  if (session.provider !== providerId) return { ...session, provider: providerId };
  return session;
}

async function callProvider<T>(providerId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toVaultError(error, providerId);
  }
}
