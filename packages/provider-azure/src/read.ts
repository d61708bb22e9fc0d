/**
 * Reading one Key Vault secret (one document per vault, name and version-or-latest) with the
 * caller's signal and a timeout, and taking its value. Core de-duplicates and bounds concurrency.
 */
import { VaultError, type CallOptions, type Selected } from '@vault/core/provider';
import type { KeyVaultSecret, SecretClient } from '@azure/keyvault-secrets';
import type { SecretClients } from './client.js';
import { ENABLE_SECRET_FIX, mapAzureError } from './errors.js';
import { formatIdentifier, type AzureLink } from './identifier.js';
import { PROVIDER_ID } from './options.js';
import type { AzureSession } from './session.js';

/** Key Vault compares vault hosts, secret names and versions case-insensitively. */
export function documentKey(link: AzureLink): string {
  return `${link.vaultUrl.toLowerCase()}/secrets/${link.name.toLowerCase()}/${link.version?.toLowerCase() ?? 'latest'}`;
}

export async function readSecret(
  link: AzureLink,
  session: AzureSession,
  call: CallOptions,
  clients: SecretClients,
): Promise<KeyVaultSecret> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const context = { operation: 'fetch' as const, link, signal: call.signal, timeout, timeoutMs: call.timeoutMs };
  try {
    const client = await clients.forLink(link, session);
    const secret = await getSecret(client, link, AbortSignal.any([call.signal, timeout]));
    assertUsable(secret, link);
    return secret;
  } catch (error) {
    throw mapAzureError(error, context);
  }
}

export function selectValue(link: AzureLink, secret: KeyVaultSecret): Selected {
  if (secret.value === undefined) {
    throw new VaultError('UNSUPPORTED_VALUE', `The Azure secret ${formatIdentifier(link)} has no value.`, {
      provider: PROVIDER_ID,
      fix: 'set a value with `az keyvault secret set`, or link another secret',
    });
  }
  return { value: secret.value, ...(secret.properties.version ? { version: secret.properties.version } : {}) };
}

export function getSecret(client: SecretClient, link: AzureLink, abortSignal: AbortSignal): Promise<KeyVaultSecret> {
  return client.getSecret(link.name, { abortSignal, ...(link.version ? { version: link.version } : {}) });
}

/**
 * Key Vault refuses disabled secrets itself but only records expiry ("exp") and activation
 * ("nbf") dates, leaving enforcement to the reader. We enforce them and name the state.
 */
export function assertUsable(secret: KeyVaultSecret, link: AzureLink, now = new Date()): void {
  const { enabled, expiresOn, notBefore } = secret.properties;
  const id = formatIdentifier(link);
  if (enabled === false) {
    throw new VaultError('SECRET_DISABLED', `The Azure secret ${id} is disabled (its "enabled" attribute is false).`, {
      provider: PROVIDER_ID,
      details: { state: 'disabled' },
      fix: ENABLE_SECRET_FIX,
    });
  }
  if (expiresOn && expiresOn.getTime() <= now.getTime()) {
    throw new VaultError('SECRET_DISABLED', `The Azure secret ${id} expired on ${expiresOn.toISOString()} (its expiry date has passed).`, {
      provider: PROVIDER_ID,
      details: { state: 'expired', expiresOn: expiresOn.toISOString() },
      fix: 'write a new version or move its expiry date in Azure, or link another version',
    });
  }
  if (notBefore && notBefore.getTime() > now.getTime()) {
    throw new VaultError(
      'SECRET_DISABLED',
      `The Azure secret ${id} is not active until ${notBefore.toISOString()} (its activation date is in the future).`,
      {
        provider: PROVIDER_ID,
        details: { state: 'not-yet-active', notBefore: notBefore.toISOString() },
        fix: 'wait for the activation date, change it in Azure, or link another version',
      },
    );
  }
}
