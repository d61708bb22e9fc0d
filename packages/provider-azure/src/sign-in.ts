/**
 * `connect` / `reauth`: signs in with the chosen method, proves it by getting a Key Vault token,
 * and returns the session core stores encrypted. Also renews browser/device-code sessions.
 */
import { VaultError, type AuthContext, type ProviderIO } from '@vault/core/provider';
import type { AccessToken } from '@azure/identity';
import { browserSignIn } from './browser-sign-in.js';
import { credentialFromSession, userCredentialOptions } from './credential.js';
import { mapAzureError } from './errors.js';
import { PROVIDER_ID, REAUTH_FIX, type ConnectOptions } from './options.js';
import {
  baseSessionData,
  makeSession,
  readSessionData,
  readTokenClaims,
  type AuthenticationRecordData,
  type AzureSession,
  type AzureSessionData,
} from './session.js';
import { SessionTokenCache } from './token-cache.js';
import { loadIdentity } from './sdk.js';

export async function signIn(
  options: ConnectOptions,
  io: ProviderIO,
  context: AuthContext,
  settings: { browserTimeoutMs: number },
): Promise<AzureSession> {
  const signal = context.signal;
  try {
    switch (options.method) {
      case 'browser':
        return await signInWithBrowser(options, io, context, settings.browserTimeoutMs);
      case 'device-code':
        return await signInWithDeviceCode(options, io, signal);
      default:
        return await signInWithCredential(options, io, signal);
    }
  } catch (error) {
    if (options.method === 'managed-identity' && (error as Error | undefined)?.name === 'CredentialUnavailableError')
      throw noManagedIdentity(error);
    throw mapAzureError(error, { operation: 'connect', ...(signal ? { signal } : {}) });
  }
}

/** Off Azure, identity probes IMDS and finds nothing: say which environment it looks for. */
function noManagedIdentity(error: unknown): VaultError {
  return new VaultError(
    'AUTH_FAILED',
    `No managed identity answered here (${String((error as Error).message)
      .split('\n')[0]!
      .slice(0, 200)}). ` +
      'vaultlink looks for IDENTITY_ENDPOINT + IDENTITY_HEADER (App Service, Functions, Container Apps), AZURE_POD_IDENTITY_AUTHORITY_HOST, ' +
      'or the instance metadata service of an Azure VM.',
    {
      provider: PROVIDER_ID,
      cause: error,
      fix: {
        action: 'connect',
        provider: PROVIDER_ID,
        flags: { method: 'cli' },
        hint: 'on a workstation (or --method browser); a managed identity works only on an Azure host',
      },
    },
  );
}

async function signInWithBrowser(options: ConnectOptions, io: ProviderIO, context: AuthContext, timeoutMs: number): Promise<AzureSession> {
  const previousUser = (context.previous?.data as AzureSessionData | undefined)?.authenticationRecord?.username;
  const { result, cache, clientId } = await browserSignIn(options, io, {
    timeoutMs,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(previousUser ? { loginHint: previousUser } : {}),
  });
  const account = result.account;
  if (!account) throw new VaultError('AUTH_FAILED', 'Azure sign-in returned no account.', { provider: PROVIDER_ID, fix: REAUTH_FIX });
  // Same fields identity's msalToPublic() puts in an AuthenticationRecord.
  const record: AuthenticationRecordData = {
    authority: account.environment,
    homeAccountId: account.homeAccountId,
    clientId,
    tenantId: account.tenantId,
    username: account.username,
    version: '1.0',
  };
  return userSession(options, record, cache, result.expiresOn ?? null);
}

async function signInWithDeviceCode(options: ConnectOptions, io: ProviderIO, signal?: AbortSignal): Promise<AzureSession> {
  const { DeviceCodeCredential } = await loadIdentity();
  const cache = new SessionTokenCache();
  const credential = new DeviceCodeCredential({
    ...(await userCredentialOptions(baseSessionData(options), cache)),
    userPromptCallback: (info) => io.info(info.message),
  });
  // enableCae: Key Vault requests CAE tokens, which identity caches apart from the others.
  const record = await credential.authenticate(options.scope, { enableCae: true, ...(signal ? { abortSignal: signal } : {}) });
  if (!record)
    throw new VaultError('AUTH_FAILED', 'Azure device-code sign-in returned no account.', { provider: PROVIDER_ID, fix: REAUTH_FIX });
  const token = requireToken(await credential.getToken(options.scope, { enableCae: true }));
  return userSession(options, record, cache, new Date(token.expiresOnTimestamp));
}

function userSession(
  options: ConnectOptions,
  record: AuthenticationRecordData,
  cache: SessionTokenCache,
  expiresOn: Date | null,
): AzureSession {
  const tokenCache = cache.snapshot();
  // Without the cache a new process could not renew; better to fail now than at the first fetch.
  if (!tokenCache)
    throw new VaultError('AUTH_FAILED', 'Azure sign-in finished but left no token cache to keep.', {
      provider: PROVIDER_ID,
      fix: REAUTH_FIX,
    });
  return makeSession({
    data: { ...baseSessionData(options), tenantId: record.tenantId, authenticationRecord: record, tokenCache },
    organization: record.tenantId,
    principal: `${record.username} (${options.method === 'browser' ? 'browser' : 'device code'} sign-in)`,
    expiresAt: expiresOn,
  });
}

/** cli, client-secret, client-certificate, managed-identity: the credential renews itself in any process. */
async function signInWithCredential(options: ConnectOptions, io: ProviderIO, signal?: AbortSignal): Promise<AzureSession> {
  const data = baseSessionData(options);
  const { credential } = await credentialFromSession(data);
  io.progress('Signing in to Azure');
  const token = requireToken(await credential.getToken(options.scope, signal ? { abortSignal: signal } : {}));
  const claims = readTokenClaims(token.token);
  const tenant = claims.tid ?? options.tenantId;
  return makeSession({
    data: { ...data, ...(tenant ? { tenantId: tenant } : {}) },
    organization: tenant ?? `${options.method} (tenant unknown)`,
    principal: describePrincipal(options, claims),
    expiresAt: null,
  });
}

function describePrincipal(options: ConnectOptions, claims: ReturnType<typeof readTokenClaims>): string {
  switch (options.method) {
    case 'cli':
      return `${claims.upn ?? claims.unique_name ?? claims.oid ?? 'account'} (Azure CLI)`;
    case 'client-secret':
      return `application ${options.clientId} (client secret)`;
    case 'client-certificate':
      return `application ${options.clientId} (certificate)`;
    default:
      return `managed identity ${options.managedIdentityClientId ?? 'system-assigned'}${claims.oid ? ` (object ${claims.oid})` : ''}`;
  }
}

/**
 * Renews a browser/device-code session from its refresh token without a person, returning the
 * session with the updated cache. Other methods renew by themselves; they are only checked.
 */
export async function renewSession(session: AzureSession, signal?: AbortSignal): Promise<AzureSession> {
  const data = readSessionData(session);
  try {
    const { credential, cache } = await credentialFromSession(data);
    const token = requireToken(await credential.getToken(data.scope, { enableCae: true, ...(signal ? { abortSignal: signal } : {}) }));
    if (!cache) return session;
    return makeSession({
      data: { ...data, tokenCache: cache.snapshot() },
      organization: session.organization,
      principal: session.principal,
      expiresAt: new Date(token.expiresOnTimestamp),
      createdAt: session.createdAt,
    });
  } catch (error) {
    throw mapAzureError(error, { operation: 'refresh', ...(signal ? { signal } : {}) });
  }
}

/** TokenCredential.getToken may resolve null; identity's credentials throw instead, but the type allows it. */
function requireToken(token: AccessToken | null): AccessToken {
  if (!token) throw new VaultError('REAUTH_REQUIRED', 'Azure returned no access token.', { provider: PROVIDER_ID, fix: REAUTH_FIX });
  return token;
}
