/**
 * The AWS SDK packages this provider loads on first use only (`importOptional`): loading the
 * provider, parsing and summarizing links load none of them.
 */
import { importOptional, type OptionalModule } from '@vault/core/provider';

type SecretsManagerModule = typeof import('@aws-sdk/client-secrets-manager');
type StsModule = typeof import('@aws-sdk/client-sts');
type CredentialProvidersModule = typeof import('@aws-sdk/credential-providers');
type IniLoaderModule = typeof import('@smithy/shared-ini-file-loader');
type HttpHandlerModule = typeof import('@smithy/node-http-handler');

export const loadSecretsManager: OptionalModule<SecretsManagerModule> = importOptional(
  '@aws-sdk/client-secrets-manager',
  () => import('@aws-sdk/client-secrets-manager'),
);
export const loadSts: OptionalModule<StsModule> = importOptional('@aws-sdk/client-sts', () => import('@aws-sdk/client-sts'));
export const loadCredentialProviders: OptionalModule<CredentialProvidersModule> = importOptional(
  '@aws-sdk/credential-providers',
  () => import('@aws-sdk/credential-providers'),
);
export const loadIniLoader: OptionalModule<IniLoaderModule> = importOptional(
  '@smithy/shared-ini-file-loader',
  () => import('@smithy/shared-ini-file-loader'),
);
export const loadHttpHandler: OptionalModule<HttpHandlerModule> = importOptional(
  '@smithy/node-http-handler',
  () => import('@smithy/node-http-handler'),
);
