/** Signing a session out upstream, through the provider's optional `signOut`. */
import type { AnyProvider, Session } from '../contract.js';
import type { SignOutOutcome } from '../vault-api.js';

/**
 * What `provider.signOut` did: revoked (it returned nothing, or said so), or only forgotten
 * (credentials the user brought, which the provider must leave alone). Without `signOut` there is
 * nothing to revoke upstream, so the session is only forgotten here.
 */
export async function signOutSession(provider: AnyProvider, session: Session): Promise<SignOutOutcome> {
  if (!provider.signOut) return { revoked: false };
  const result = await provider.signOut(session);
  if (!result) return { revoked: true };
  return { revoked: result.revoked === true, ...(typeof result.note === 'string' && result.note ? { note: result.note } : {}) };
}
