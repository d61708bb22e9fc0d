/**
 * Shape check of decrypted VaultData. A file that decrypts but has the wrong shape is reported
 * as corrupt (on read) or refused (on write), so a bad state never reaches disk or callers.
 * Problems name fields only, never their values: the values are secrets.
 */
import { VAULT_DATA_VERSION, type VaultData } from '../model.js';

export function vaultDataProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(value)) return ['the data is not an object'];
  if (value.version !== VAULT_DATA_VERSION) {
    const found = typeof value.version === 'number' ? String(value.version) : typeof value.version;
    return [
      `it has data version ${found}, and this vaultlink reads only data version ${VAULT_DATA_VERSION} (if a newer vaultlink wrote it, upgrade vaultlink)`,
    ];
  }
  if (!isRecord(value.secrets)) problems.push('secrets: not an object');
  else for (const [name, entry] of Object.entries(value.secrets)) checkSecret(name, entry, problems);
  if (!isRecord(value.integrations)) problems.push('integrations: not an object');
  else for (const [provider, integration] of Object.entries(value.integrations)) checkIntegration(provider, integration, problems);
  if (!isRecord(value.settings)) problems.push('settings: not an object');
  else if (!isNonNegativeInt(value.settings.cacheExpiryMinutes))
    problems.push('settings.cacheExpiryMinutes: not a whole number of minutes ≥ 0');
  return problems;
}

export function isVaultData(value: unknown): value is VaultData {
  return vaultDataProblems(value).length === 0;
}

function checkSecret(name: string, entry: unknown, problems: string[]): void {
  const at = `secrets["${name}"]`;
  if (!isRecord(entry)) return void problems.push(`${at}: not an object`);
  if (entry.name !== name) problems.push(`${at}.name: does not match its key`);
  const secret = entry.secret;
  if (!isRecord(secret)) problems.push(`${at}.secret: not an object`);
  else if (secret.kind === 'local') {
    if (typeof secret.value !== 'string') problems.push(`${at}.secret.value: not a string`);
  } else if (secret.kind === 'linked') {
    if (typeof secret.provider !== 'string') problems.push(`${at}.secret.provider: not a string`);
    if (!isRecord(secret.link)) problems.push(`${at}.secret.link: not an object`);
  } else problems.push(`${at}.secret.kind: neither "local" nor "linked"`);
  if (!Array.isArray(entry.allowedDomains) || !entry.allowedDomains.every((d) => typeof d === 'string')) {
    problems.push(`${at}.allowedDomains: not a list of strings`);
  }
  if (typeof entry.enabled !== 'boolean') problems.push(`${at}.enabled: not a boolean`);
  if (typeof entry.createdAt !== 'string') problems.push(`${at}.createdAt: not a string`);
  if (typeof entry.updatedAt !== 'string') problems.push(`${at}.updatedAt: not a string`);
}

function checkIntegration(provider: string, integration: unknown, problems: string[]): void {
  const at = `integrations["${provider}"]`;
  if (!isRecord(integration)) return void problems.push(`${at}: not an object`);
  if (integration.provider !== provider) problems.push(`${at}.provider: does not match its key`);
  if (!isRecord(integration.connectOptions)) problems.push(`${at}.connectOptions: not an object`);
  if (typeof integration.connectedAt !== 'string') problems.push(`${at}.connectedAt: not a string`);
  const session = integration.session;
  if (!isRecord(session)) return void problems.push(`${at}.session: not an object`);
  if (session.provider !== provider) problems.push(`${at}.session.provider: does not match the integration`);
  for (const field of ['organization', 'principal', 'createdAt'] as const) {
    if (typeof session[field] !== 'string') problems.push(`${at}.session.${field}: not a string`);
  }
  if (session.expiresAt !== null && typeof session.expiresAt !== 'string')
    problems.push(`${at}.session.expiresAt: neither a time nor null`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInt(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
