/**
 * Reads secret values: one Key Vault read per distinct (vault, name, version-or-latest),
 * fanned out to every link that points there, with the caller's signal and a timeout.
 */
import { VaultError, type FetchOptions, type FetchResult } from '@vault/core';
import type { KeyVaultSecret, SecretClient } from '@azure/keyvault-secrets';
import type { SecretClients } from './client.js';
import { ENABLE_SECRET_FIX, mapAzureError } from './errors.js';
import { formatIdentifier, type AzureLink } from './identifier.js';
import { PROVIDER_ID } from './options.js';
import type { AzureSession } from './session.js';

/** Key Vault has no batch read; this many single reads run at once. */
const CONCURRENCY = 8;

/** Key Vault compares vault hosts, secret names and versions case-insensitively. */
export function documentKey(link: AzureLink): string {
  return `${link.vaultUrl.toLowerCase()}/secrets/${link.name.toLowerCase()}/${link.version?.toLowerCase() ?? 'latest'}`;
}

export async function fetchLinks(
  links: readonly AzureLink[],
  session: AzureSession,
  options: FetchOptions,
  clients: SecretClients,
  defaultTimeoutMs: number,
): Promise<FetchResult[]> {
  const byKey = new Map<string, AzureLink>();
  for (const link of links) {
    const key = documentKey(link);
    if (!byKey.has(key)) byKey.set(key, link);
  }

  const outcomes = new Map<string, FetchResult>();
  const queue = [...byKey.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, link] = next;
      outcomes.set(key, await readOne(link, session, options, clients, defaultTimeoutMs));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return links.map((link) => outcomes.get(documentKey(link))!);
}

async function readOne(link: AzureLink, session: AzureSession, options: FetchOptions, clients: SecretClients, defaultTimeoutMs: number): Promise<FetchResult> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const context = { operation: 'fetch' as const, link, signal: options.signal, timeout, timeoutMs };
  try {
    if (options.signal.aborted) throw new VaultError('ABORTED', `The Azure read was cancelled for ${formatIdentifier(link)}.`, { provider: PROVIDER_ID });
    const client = await clients.forLink(link, session);
    const secret = await getSecret(client, link, AbortSignal.any([options.signal, timeout]));
    assertUsable(secret, link);
    if (secret.value === undefined) {
      throw new VaultError('UNSUPPORTED_VALUE', `The Azure secret ${formatIdentifier(link)} has no value.`, {
        provider: PROVIDER_ID,
        fix: 'set a value with `az keyvault secret set`, or link another secret',
      });
    }
    return { ok: true, value: secret.value, ...(secret.properties.version ? { version: secret.properties.version } : {}) };
  } catch (error) {
    return { ok: false, error: mapAzureError(error, context) };
  }
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
    throw new VaultError('SECRET_DISABLED', `The Azure secret ${id} is not active until ${notBefore.toISOString()} (its activation date is in the future).`, {
      provider: PROVIDER_ID,
      details: { state: 'not-yet-active', notBefore: notBefore.toISOString() },
      fix: 'wait for the activation date, change it in Azure, or link another version',
    });
  }
}
