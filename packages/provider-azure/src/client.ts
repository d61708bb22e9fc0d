/**
 * SecretClients: one per vault and session, reused across fetches. Loads the Key Vault SDK
 * only when the first client is needed.
 */
import type { TokenCredential } from '@azure/identity';
import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import { PromiseCache, VaultError } from '@vault/core/provider';
import { credentialFromSession, type SessionCredential } from './credential.js';
import type { AzureLink } from './identifier.js';
import { PROVIDER_ID, type AzureProviderOptions } from './options.js';
import { readSessionData, sessionFingerprint, type AzureSession } from './session.js';
import { loadKeyVaultSecrets } from './sdk.js';

interface SessionClients {
  credential: SessionCredential;
  /** One SecretClient per vault. */
  clients: PromiseCache<SecretClient>;
}

/** Sessions whose clients are kept; a new session (reauth, refresh) pushes the oldest out. */
const KEPT_SESSIONS = 4;

export class SecretClients {
  private readonly sessions = new PromiseCache<SessionClients>({ maxEntries: KEPT_SESSIONS });

  constructor(private readonly options: AzureProviderOptions) {}

  async forLink(link: AzureLink, session: AzureSession): Promise<SecretClient> {
    const state = await this.sessions.get(sessionFingerprint(session), async () => ({
      credential: await credentialFromSession(readSessionData(session)),
      clients: new PromiseCache<SecretClient>(),
    }));
    return state.clients.get(link.vaultUrl, async () => {
      const { SecretClient } = await loadKeyVaultSecrets();
      const clientOptions: SecretClientOptions = {
        // Real Key Vault keeps the SDK's check that the token's resource matches the vault's domain.
        // Other hosts (emulators, private endpoints) fail that check, so it is off for them and
        // ownHostOnly() keeps them from obtaining tokens for any other resource.
        disableChallengeResourceVerification: !link.knownDomain,
        retryOptions: {
          maxRetries: this.options.maxRetries ?? 3,
          retryDelayInMs: this.options.retryDelayInMs ?? 500,
          maxRetryDelayInMs: this.options.maxRetryDelayInMs ?? 8000,
        },
        ...(this.options.additionalPolicies
          ? { additionalPolicies: this.options.additionalPolicies as SecretClientOptions['additionalPolicies'] }
          : {}),
      };
      const { credential } = state.credential;
      return new SecretClient(link.vaultUrl, link.knownDomain ? credential : ownHostOnly(credential, link.vaultUrl), clientOptions);
    });
  }
}

/**
 * A host outside the Key Vault domains only gets tokens for its own origin. Without this, a
 * linked look-alike host could answer with a challenge for https://vault.azure.net and receive
 * a real Key Vault token.
 */
export function ownHostOnly(inner: TokenCredential, vaultUrl: string): TokenCredential {
  const host = new URL(vaultUrl).host;
  return {
    getToken(scopes, options) {
      for (const scope of Array.isArray(scopes) ? scopes : [scopes]) {
        if (scopeHost(scope) !== host) {
          return Promise.reject(
            new VaultError(
              'ACCESS_DENIED',
              `${vaultUrl} asked for an Azure token for "${scope}". A host outside the Key Vault domains only gets tokens for itself.`,
              {
                provider: PROVIDER_ID,
                fix: 'link secrets through https://<vault>.vault.azure.net, or check that this host is the emulator or endpoint you meant',
                details: { scope },
              },
            ),
          );
        }
      }
      return inner.getToken(scopes, options);
    },
  };
}

function scopeHost(scope: string): string | undefined {
  return URL.canParse(scope) ? new URL(scope).host : undefined;
}
