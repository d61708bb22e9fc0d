/** The Azure SDK packages this provider loads on first use only (`importOptional`). */
import { importOptional, type OptionalModule } from '@vault/core/provider';

export const loadIdentity: OptionalModule<typeof import('@azure/identity')> = importOptional(
  '@azure/identity',
  () => import('@azure/identity'),
);
export const loadKeyVaultSecrets: OptionalModule<typeof import('@azure/keyvault-secrets')> = importOptional(
  '@azure/keyvault-secrets',
  () => import('@azure/keyvault-secrets'),
);
export const loadMsal: OptionalModule<typeof import('@azure/msal-node')> = importOptional(
  '@azure/msal-node',
  () => import('@azure/msal-node'),
);
