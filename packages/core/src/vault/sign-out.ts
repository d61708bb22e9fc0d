/** Signing a session out upstream, through the provider's optional `signOut`. */
import type { AnyProvider, Session } from '../contract.js';
import type { SignOutOutcome } from '../vault-api.js';
import type { VaultContext } from './context.js';

/**
 * What `provider.signOut` did: revoked (it returned nothing, or said so), or only forgotten
 * (credentials the user brought, which the provider must leave alone). Without `signOut` there is
 * nothing to revoke upstream, so the session is only forgotten here. The call goes through the
 * provider's gate like every upstream call: a vault that stopped answering costs one time bound,
 * then PROVIDER_UNAVAILABLE.
 */
export async function signOutSession(
  ctx: VaultContext,
  providerId: string,
  provider: AnyProvider,
  session: Session,
): Promise<SignOutOutcome> {
  if (!provider.signOut) return { revoked: false };
  const result = await ctx.gate(providerId, provider).run((call) => provider.signOut!(session, call));
  if (!result) return { revoked: true };
  return { revoked: result.revoked === true, ...(typeof result.note === 'string' && result.note ? { note: result.note } : {}) };
}
