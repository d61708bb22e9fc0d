/**
 * The session core stores encrypted: the sign-in method, its non-secret options, and what a new
 * process needs to sign in again without a person: the client secret, or (browser/device-code)
 * the MSAL token cache with its refresh token plus the account's AuthenticationRecord.
 */
import { VaultError, fingerprint, type Session } from '@vault/core/provider';
import { PROVIDER_ID, REAUTH_FIX, SIGN_IN_METHODS, type ConnectOptions, type SignInMethod } from './options.js';

/** @azure/identity's AuthenticationRecord: which account a silent sign-in uses. Holds no token. */
export interface AuthenticationRecordData {
  authority: string;
  homeAccountId: string;
  clientId: string;
  tenantId: string;
  username: string;
  version?: string;
}

export interface AzureSessionData {
  method: SignInMethod;
  scope: string;
  tenantId?: string;
  clientId?: string;
  /** client-secret only. Kept here (encrypted by core) so `reauth` and new processes can sign in. */
  clientSecret?: string;
  /** client-certificate only: the PEM stays where the user keeps it. */
  certificatePath?: string;
  managedIdentityClientId?: string;
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
  /** browser / device-code. */
  authenticationRecord?: AuthenticationRecordData;
  /** browser / device-code: MSAL caches with access and refresh tokens. */
  tokenCache?: string;
}

export type AzureSession = Session<AzureSessionData>;

/** The connect options a session keeps, so `reauth` and new processes sign in the same way. */
type KeptOptions = Pick<
  AzureSessionData,
  | 'method'
  | 'scope'
  | 'tenantId'
  | 'clientId'
  | 'clientSecret'
  | 'certificatePath'
  | 'managedIdentityClientId'
  | 'authorityHost'
  | 'disableInstanceDiscovery'
>;

const OPTIONAL_KEPT = ['tenantId', 'clientId', 'clientSecret', 'certificatePath', 'managedIdentityClientId', 'authorityHost'] as const;

/** Copies the kept options, leaving out the unset ones (and every other field, e.g. tokens). */
function keptOptions(from: KeptOptions): KeptOptions {
  const kept: KeptOptions = { method: from.method, scope: from.scope };
  for (const key of OPTIONAL_KEPT) {
    const value = from[key];
    if (value !== undefined) kept[key] = value;
  }
  if (from.disableInstanceDiscovery) kept.disableInstanceDiscovery = true;
  return kept;
}

/** Session data from validated connect options (no tokens yet). */
export function baseSessionData(options: ConnectOptions): AzureSessionData {
  return keptOptions(options);
}

/** What `reauth` reuses from the previous session when the user passes nothing new. */
export function previousOptions(session: Session | undefined): Partial<ConnectOptions> | undefined {
  if (!session || session.provider !== PROVIDER_ID) return undefined;
  return keptOptions(readSessionData(session));
}

/** Checks the stored shape, so a damaged or foreign session asks for reauth instead of crashing. */
export function readSessionData(session: Session): AzureSessionData {
  const data = session.data as Partial<AzureSessionData> | null;
  const ok =
    !!data &&
    typeof data === 'object' &&
    (SIGN_IN_METHODS as readonly string[]).includes(data.method as string) &&
    typeof data.scope === 'string' &&
    (data.method !== 'client-secret' || typeof data.clientSecret === 'string') &&
    (!['browser', 'device-code'].includes(data.method as string) || (!!data.authenticationRecord && !!data.tokenCache));
  if (!ok) {
    throw new VaultError('REAUTH_REQUIRED', 'The stored Azure session is incomplete or from another version of vaultlink.', {
      provider: PROVIDER_ID,
      fix: REAUTH_FIX,
    });
  }
  return data as AzureSessionData;
}

export function makeSession(parts: {
  data: AzureSessionData;
  organization: string;
  principal: string;
  expiresAt: Date | null;
  createdAt?: string;
}): AzureSession {
  return {
    provider: PROVIDER_ID,
    organization: parts.organization,
    principal: parts.principal,
    expiresAt: parts.expiresAt ? parts.expiresAt.toISOString() : null,
    createdAt: parts.createdAt ?? new Date().toISOString(),
    data: parts.data,
  };
}

/** Stable key for per-session client state: equal sessions share credentials and SecretClients. */
export function sessionFingerprint(session: Session): string {
  return fingerprint(JSON.stringify([session.createdAt, session.organization, session.data]));
}

/** Claims an access token carries, read without verification: only for naming tenant and principal. */
export interface TokenClaims {
  tid?: string;
  oid?: string;
  appid?: string;
  upn?: string;
  unique_name?: string;
  preferred_username?: string;
}

export function readTokenClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as TokenClaims) : {};
  } catch (error) {
    // Not a JWT (some emulators hand out opaque tokens): nothing to show, and nothing is wrong.
    void error;
    return {};
  }
}
