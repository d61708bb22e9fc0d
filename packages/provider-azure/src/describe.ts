/**
 * Metadata of a linked secret for `show`: vault, name, version (the resolved one for latest),
 * state, content type, dates and tags. Never the value.
 */
import { VaultError, isVaultError, type CallOptions } from '@vault/core/provider';
import type { SecretClient, SecretProperties } from '@azure/keyvault-secrets';
import type { SecretClients } from './client.js';
import { mapAzureError } from './errors.js';
import { getSecret } from './read.js';
import type { AzureLink } from './identifier.js';
import { PROVIDER_ID } from './options.js';
import type { AzureSession } from './session.js';

export async function describeLink(
  link: AzureLink,
  session: AzureSession,
  options: CallOptions,
  clients: SecretClients,
): Promise<Record<string, unknown>> {
  const timeoutMs = options.timeoutMs;
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
    let properties: SecretProperties | undefined;
    try {
      properties = await findVersion(client, link, signal);
    } catch (listError) {
      // The state is what `show` must tell; the failed listing is noted beside it.
      const listed = mapAzureError(listError, context);
      throw new VaultError(mapped.code, mapped.message.split('\n')[0]!, {
        provider: PROVIDER_ID,
        ...(mapped.fix ? { fix: mapped.fix } : {}),
        details: { ...mapped.details, versionListError: listed.code },
        cause: error,
      });
    }
    if (!properties) throw mapped;
    return describeProperties(link, properties);
  }
}

/**
 * The pinned version, or for latest the newest disabled version (Key Vault just said latest is
 * disabled), from the version list. Creation times have one-second resolution, so ties fall back
 * to the last update (disabling a version updates it).
 */
async function findVersion(client: SecretClient, link: AzureLink, abortSignal: AbortSignal): Promise<SecretProperties | undefined> {
  let newest: SecretProperties | undefined;
  const time = (p: SecretProperties) => [p.createdOn?.getTime() ?? 0, p.updatedOn?.getTime() ?? 0] as const;
  for await (const properties of client.listPropertiesOfSecretVersions(link.name, { abortSignal })) {
    if (link.version) {
      if (properties.version?.toLowerCase() === link.version) return properties;
      continue;
    }
    if (properties.enabled !== false) continue;
    const [created, updated] = time(properties);
    if (!newest || created > time(newest)[0] || (created === time(newest)[0] && updated > time(newest)[1])) newest = properties;
  }
  return newest;
}

function describeProperties(link: AzureLink, p: SecretProperties): Record<string, unknown> {
  const now = Date.now();
  const state =
    p.enabled === false
      ? 'disabled'
      : p.expiresOn && p.expiresOn.getTime() <= now
        ? 'expired'
        : p.notBefore && p.notBefore.getTime() > now
          ? 'not-yet-active'
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
