/**
 * Lazy loaders for the AWS SDK. Nothing here runs at import time: the SDK is loaded the
 * first time a provider call needs the network, so `vaultlink` users of other providers
 * (and `parseLink`/`summarize` callers) never pay for it.
 */
type SecretsManagerModule = typeof import('@aws-sdk/client-secrets-manager');
type StsModule = typeof import('@aws-sdk/client-sts');
type CredentialProvidersModule = typeof import('@aws-sdk/credential-providers');
type IniLoaderModule = typeof import('@smithy/shared-ini-file-loader');
type HttpHandlerModule = typeof import('@smithy/node-http-handler');

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      // A failed load (e.g. package missing) is not cached, so a later call can succeed.
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

export const loadSecretsManager = once<SecretsManagerModule>(() => import('@aws-sdk/client-secrets-manager'));
export const loadSts = once<StsModule>(() => import('@aws-sdk/client-sts'));
export const loadCredentialProviders = once<CredentialProvidersModule>(() => import('@aws-sdk/credential-providers'));
export const loadIniLoader = once<IniLoaderModule>(() => import('@smithy/shared-ini-file-loader'));
export const loadHttpHandler = once<HttpHandlerModule>(() => import('@smithy/node-http-handler'));
