/**
 * Metadata of a linked secret for `show`: vault, name, version (the resolved one for latest),
 * state, content type, dates and tags. Never the value.
 */
import { isVaultError, type FetchOptions } from '@vault/core';
import type { SecretClient, SecretProperties } from '@azure/keyvault-secrets';
import type { SecretClients } from './client.js';
import { mapAzureError } from './errors.js';
import { getSecret } from './fetch.js';
import type { AzureLink } from './identifier.js';
import type { AzureSession } from './session.js';

export async function describeLink(
  link: AzureLink,
  session: AzureSession,
  options: FetchOptions,
  clients: SecretClients,
  defaultTimeoutMs: number,
): Promise<Record<string, unknown>> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const context = { operation: 'describe' as const, link, signal: options.signal, timeout, timeoutMs };
  let client: SecretClient | undefined;
  try {
    client = await clients.forLink(link, session);
    // GET is the only call that returns one version's properties; the value is dropped here.
    const { properties } = await getSecret(client, link, signal);
    return describeProperties(link, properties);
  } catch (error) {
    const mapped = mapAzureError(error, context);
    if (!client || !isVaultError(mapped, 'SECRET_DISABLED')) throw mapped;
    // Disabled versions cannot be read, but listing versions (metadata only) still shows them.
    const properties = await findVersion(client, link, signal).catch((listError: unknown) => {
      throw mapAzureError(listError, context);
    });
    if (!properties) throw mapped;
    return describeProperties(link, properties);
  }
}

/** The pinned version, or for latest the newest created version, from the version list. */
async function findVersion(client: SecretClient, link: AzureLink, abortSignal: AbortSignal): Promise<SecretProperties | undefined> {
  let newest: SecretProperties | undefined;
  for await (const properties of client.listPropertiesOfSecretVersions(link.name, { abortSignal })) {
    if (link.version) {
      if (properties.version?.toLowerCase() === link.version) return properties;
    } else if (!newest || (properties.createdOn?.getTime() ?? 0) > (newest.createdOn?.getTime() ?? 0)) {
      newest = properties;
    }
  }
  return newest;
}

function describeProperties(link: AzureLink, p: SecretProperties): Record<string, unknown> {
  const now = Date.now();
  const state = p.enabled === false ? 'disabled'
    : p.expiresOn && p.expiresOn.getTime() <= now ? 'expired'
      : p.notBefore && p.notBefore.getTime() > now ? 'not-yet-active'
        : 'active';
  return {
    vault: link.vaultUrl,
    name: p.name,
    version: p.version,
    versionPinned: link.version !== undefined,
    state,
    enabled: p.enabled ?? null,
    contentType: p.contentType ?? null,
    createdOn: p.createdOn?.toISOString() ?? null,
    updatedOn: p.updatedOn?.toISOString() ?? null,
    expiresOn: p.expiresOn?.toISOString() ?? null,
    notBefore: p.notBefore?.toISOString() ?? null,
    tags: p.tags ?? {},
    ...(p.managed ? { managedByCertificate: true } : {}),
    ...(p.recoveryLevel ? { recoveryLevel: p.recoveryLevel } : {}),
  };
}
