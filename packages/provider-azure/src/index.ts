/**
 * `@vault/provider-azure`: Azure Key Vault for vaultlink. Importing this module loads no Azure
 * SDK; @azure/identity, @azure/msal-node and @azure/keyvault-secrets load on first use.
 */
import { defineProvider, type Provider } from '@vault/core/provider';
import type { KeyVaultSecret } from '@azure/keyvault-secrets';
import { SecretClients } from './client.js';
import { describeLink } from './describe.js';
import { formatIdentifier, parseIdentifier, type AzureLink } from './identifier.js';
import { CONNECT_FLAGS, LINK_FLAGS, PROVIDER_ID, parseConnectOptions, type AzureProviderOptions } from './options.js';
import { documentKey, readSecret, selectValue } from './read.js';
import { previousOptions, type AzureSessionData } from './session.js';
import { renewSession, signIn } from './sign-in.js';

export type { AzureLink } from './identifier.js';
export type { AzureProviderOptions, ConnectOptions, SignInMethod } from './options.js';
export type { AzureSession, AzureSessionData } from './session.js';
export { KEY_VAULT_DOMAINS, parseIdentifier } from './identifier.js';
export { SIGN_IN_METHODS } from './options.js';

export function createAzureProvider(options: AzureProviderOptions = {}): Provider<AzureLink, AzureSessionData, KeyVaultSecret> {
  const clients = new SecretClients(options);
  const browserTimeoutMs = options.browserTimeoutMs ?? 300_000;

  return defineProvider({
    id: PROVIDER_ID,
    displayName: 'Azure Key Vault',
    // Key Vault has no batch read; it throttles per vault, so 16 reads at a time.
    capabilities: { versions: true, adminManagedSetup: false, concurrency: 16 },
    flags: { link: LINK_FLAGS, connect: CONNECT_FLAGS },

    // The identifier's own parts (vault, name, version) are checked by parseIdentifier.
    parseLink: (fields) => parseIdentifier({ id: fields.text('id') }),
    // Links keep the identifier's parts; manifests and relink fixes need it back as --id.
    linkFlags: (link) => ({ id: formatIdentifier(link) }),
    linkWarnings: (link) =>
      link.knownDomain
        ? []
        : [
            `${new URL(link.vaultUrl).host} is not a known Key Vault domain (vault.azure.net, vault.azure.cn, vault.usgovcloudapi.net, vault.microsoftazure.de). ` +
              'vaultlink will sign in to it with your Azure identity, with tokens only for that host; link it only if it is your private endpoint or emulator.',
          ],
    documentKey,
    summarize: (link) => ({
      identifier: formatIdentifier(link),
      ...(link.version ? { version: link.version } : {}),
      // `show` already prints the link's name and version; these add what the identifier holds.
      extra: { vault: link.vaultUrl, secret: link.name },
    }),

    authenticate: async (fields, io, context) => {
      const connectOptions = parseConnectOptions(
        io.noBrowser ? { ...fields, noBrowser: true } : fields,
        io.env,
        previousOptions(context.previous),
      );
      return signIn(connectOptions, io, context, { browserTimeoutMs });
    },
    refresh: (session, context) => renewSession(session, context.signal),

    readDocument: (link, session, call) => readSecret(link, session, call, clients),
    select: selectValue,
    describe: (link, session, call) => describeLink(link, session, call, clients),
  });
}

/** The provider with default settings; the CLI and runner load this. */
export const azureProvider = createAzureProvider();
export default azureProvider;
