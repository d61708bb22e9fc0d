/**
 * Builds the @azure/identity credential a stored session stands for, in any process.
 * These credentials never ask a person: browser and device-code sessions renew silently from
 * the refresh token in the session's token cache, or fail with AuthenticationRequiredError.
 */
import type { TokenCredential } from '@azure/identity';
import type { AzureSessionData } from './session.js';
import { SessionTokenCache, persistenceOptions } from './token-cache.js';
import { loadIdentity } from './sdk.js';

/** The Azure CLI's public client ID, which @azure/identity also uses by default for user sign-in. */
export const DEVELOPER_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

export interface SessionCredential {
  credential: TokenCredential;
  /** The token cache browser/device-code credentials read and update; undefined for the others. */
  cache?: SessionTokenCache;
}

/** Sign-in host and discovery options every credential takes. */
function commonOptions(data: AzureSessionData) {
  return {
    ...(data.authorityHost ? { authorityHost: data.authorityHost } : {}),
    ...(data.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
  };
}

/** Options of the user sign-in credentials (browser, device code), at sign-in and when a session renews. */
export async function userCredentialOptions(data: AzureSessionData, cache: SessionTokenCache) {
  return {
    ...commonOptions(data),
    tenantId: data.tenantId ?? data.authenticationRecord?.tenantId,
    clientId: data.clientId ?? DEVELOPER_CLIENT_ID,
    tokenCachePersistenceOptions: await persistenceOptions(cache),
  };
}

export async function credentialFromSession(data: AzureSessionData): Promise<SessionCredential> {
  const identity = await loadIdentity();
  const common = commonOptions(data);
  switch (data.method) {
    case 'browser':
    case 'device-code': {
      const cache = new SessionTokenCache(data.tokenCache);
      const options = {
        ...(await userCredentialOptions(data, cache)),
        authenticationRecord: data.authenticationRecord,
        disableAutomaticAuthentication: true,
      };
      const credential =
        data.method === 'browser' ? new identity.InteractiveBrowserCredential(options) : new identity.DeviceCodeCredential(options);
      return { credential, cache };
    }
    case 'cli':
      return { credential: new identity.AzureCliCredential(data.tenantId ? { tenantId: data.tenantId } : {}) };
    case 'client-secret':
      return { credential: new identity.ClientSecretCredential(data.tenantId!, data.clientId!, data.clientSecret!, common) };
    case 'client-certificate':
      return {
        credential: new identity.ClientCertificateCredential(
          data.tenantId!,
          data.clientId!,
          { certificatePath: data.certificatePath! },
          common,
        ),
      };
    case 'managed-identity':
      // Reads IDENTITY_ENDPOINT/IDENTITY_HEADER (App Service), AZURE_POD_IDENTITY_AUTHORITY_HOST (IMDS) etc. from process.env.
      return {
        credential: new identity.ManagedIdentityCredential(data.managedIdentityClientId ? { clientId: data.managedIdentityClientId } : {}),
      };
  }
}
