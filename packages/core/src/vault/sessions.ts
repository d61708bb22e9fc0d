/**
 * The session check that runs before any upstream call: a missing integration is
 * NOT_CONNECTED, a logged-out or expired session is renewed with `provider.refresh`
 * when the provider has one, otherwise the caller gets REAUTH_REQUIRED naming
 * a reauth fix.
 */
import type { AnyProvider, Session } from '../contract.js';
import { VaultError, isVaultError } from '../errors.js';
import type { Fix } from '../fixes.js';
import type { Integration } from '../model.js';
import { readTeamConfig } from '../team-config.js';
import type { VaultContext } from './context.js';
import { toVaultError, withFix } from './error-mapping.js';

/** Refresh this long before expiry, so a session does not lapse mid-request. */
export const REFRESH_SKEW_MS = 30_000;

export function reauthFix(providerId: string): Fix {
  return { action: 'reauth', provider: providerId };
}

export function notConnectedError(providerId: string): VaultError {
  return new VaultError('NOT_CONNECTED', `There is no ${providerId} integration.`, {
    provider: providerId,
    fix: { action: 'connect', provider: providerId },
  });
}

export function isSessionExpired(session: Session, now: number, skewMs = 0): boolean {
  if (!session.expiresAt) return false;
  const at = Date.parse(session.expiresAt);
  return Number.isNaN(at) || at - skewMs <= now;
}

export function isLoggedOut(integration: Integration): boolean {
  return typeof integration.loggedOutAt === 'string';
}

/** A usable session for `providerId`, refreshed if needed. */
export async function ensureSession(ctx: VaultContext, providerId: string, provider: AnyProvider, known?: Integration): Promise<Session> {
  const integration = known ?? (await ctx.store.read()).integrations[providerId];
  if (!integration) throw notConnectedError(providerId);
  if (isLoggedOut(integration)) {
    throw new VaultError('REAUTH_REQUIRED', `You are signed out of ${providerId}.`, { provider: providerId, fix: reauthFix(providerId) });
  }
  const session = integration.session;
  const now = ctx.now();
  if (!isSessionExpired(session, now, provider.refresh ? REFRESH_SKEW_MS : 0)) return session;
  const expired = isSessionExpired(session, now);
  if (!provider.refresh) throw expiredError(providerId);
  try {
    return await ctx.sessionFlights.run(providerId, undefined, () => refreshSession(ctx, providerId, provider, integration));
  } catch (error) {
    const mapped = toVaultError(error, providerId);
    // Still valid for a few seconds: use it rather than fail on an early refresh.
    if (!expired) return session;
    if (isVaultError(mapped, 'REAUTH_REQUIRED') || isVaultError(mapped, 'AUTH_FAILED')) {
      throw new VaultError('REAUTH_REQUIRED', `The ${providerId} session has expired and could not be renewed.`, {
        provider: providerId,
        fix: reauthFix(providerId),
        cause: mapped,
      });
    }
    throw withFix(mapped, reauthFix(providerId));
  }
}

/**
 * Renews a session ahead of its expiry (a long-lived host calls this on a timer). Returns the
 * renewed session, or undefined when there is nothing to renew: no integration, signed out,
 * no expiry, or a provider without `refresh`.
 */
export async function renewSession(ctx: VaultContext, providerId: string): Promise<Session | undefined> {
  const integration = (await ctx.store.read()).integrations[providerId];
  if (!integration || isLoggedOut(integration) || !integration.session.expiresAt) return undefined;
  const provider = await ctx.getProvider(providerId);
  if (!provider.refresh) return undefined;
  try {
    return await ctx.sessionFlights.run(providerId, undefined, () => refreshSession(ctx, providerId, provider, integration));
  } catch (error) {
    throw withFix(toVaultError(error, providerId), reauthFix(providerId));
  }
}

async function refreshSession(ctx: VaultContext, providerId: string, provider: AnyProvider, integration: Integration): Promise<Session> {
  const team = provider.capabilities.adminManagedSetup ? (await readTeamConfig(ctx.team))?.config.integrations[providerId] : undefined;
  // Bounded like every upstream call: a frozen sign-in endpoint must not hang the command.
  const refreshed = await ctx.gate(providerId, provider).run((call) =>
    provider.refresh!(integration.session, {
      previous: integration.session,
      signal: call.signal,
      timeoutMs: call.timeoutMs,
      ...(team ? { team } : {}),
    }),
  );
  await ctx.store.update((data) => {
    const current = data.integrations[providerId];
    // Only replace the session we renewed: a concurrent reauth/disconnect wins.
    if (current && current.connectedAt === integration.connectedAt) current.session = refreshed;
  });
  return refreshed;
}

function expiredError(providerId: string): VaultError {
  return new VaultError('REAUTH_REQUIRED', `The ${providerId} session has expired.`, { provider: providerId, fix: reauthFix(providerId) });
}
