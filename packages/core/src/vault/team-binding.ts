/**
 * Whether a member's integration with an admin-managed provider still matches the team config.
 * The team config is what an admin's `setup` and `disconnect` change, and it is shared by every
 * member, while each member's session lives in their own vault. So a member whose team config no
 * longer has the provider (an admin disconnected it), or has other settings than the ones the
 * member signed in with, is disconnected: their references become unresolved (reason
 * `disconnected`) and values cached for the provider are dropped.
 */
import type { TeamSettings } from '../contract.js';
import { VaultError } from '../errors.js';
import type { Integration } from '../model.js';
import { readTeamConfig } from '../team-config.js';
import type { VaultContext } from './context.js';
import { providerOfCacheKey, stableStringify } from './link-key.js';

/**
 * The team settings an integration was signed in with: an object for a team integration,
 * null for a personal one (connected when the workspace had no team settings), undefined for
 * a provider that is not admin-managed.
 */
export type BoundTeamSettings = TeamSettings | null | undefined;

/**
 * Why `integration` no longer matches the team config, as the error its references get; undefined
 * while it matches (or the provider is not admin-managed, or the connection is personal).
 */
export async function teamDisconnection(ctx: VaultContext, integration: Integration): Promise<VaultError | undefined> {
  const providerId = integration.provider;
  if (integration.team === null) return undefined; // personal connection: no team config governs it
  if (integration.team === undefined && !(await isAdminManaged(ctx, providerId))) return undefined;
  const loaded = await readTeamConfig(ctx.team);
  const current = loaded?.config.integrations[providerId];
  if (!current) {
    return new VaultError(
      'NOT_CONNECTED',
      `The team's ${providerId} integration was removed${loaded ? ` from ${loaded.path}` : ' (there is no team config)'}; your ${providerId} session no longer applies.`,
      {
        provider: providerId,
        fix: {
          action: 'disconnect',
          provider: providerId,
          hint: `drops your session; a team admin sets ${providerId} up again if the team still needs it`,
        },
        details: { reason: 'team-integration-removed' },
      },
    );
  }
  // Sessions from before settings were recorded (undefined) can only be checked for removal.
  if (integration.team !== undefined && stableStringify(current) !== stableStringify(integration.team)) {
    return new VaultError(
      'NOT_CONNECTED',
      `The team's ${providerId} settings in ${loaded!.path} changed since you signed in; your ${providerId} session no longer applies.`,
      {
        provider: providerId,
        fix: { action: 'reauth', provider: providerId },
        details: { reason: 'team-settings-changed' },
      },
    );
  }
  return undefined;
}

/** Drops every cached value of `providerId` (a disconnect, a logout, a team change). */
export function dropProviderCache(ctx: VaultContext, providerId: string): void {
  ctx.cache.deleteWhere((key) => providerOfCacheKey(key) === providerId);
}

async function isAdminManaged(ctx: VaultContext, providerId: string): Promise<boolean> {
  try {
    return (await ctx.getProvider(providerId)).capabilities.adminManagedSetup;
  } catch {
    // Not loadable: a fetch would fail with that error anyway; nothing to compare against here.
    return false;
  }
}
