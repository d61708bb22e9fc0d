/**
 * Parses Key Vault secret identifiers (`https://<vault>.vault.azure.net/secrets/<name>[/<version>]`)
 * into links. Pure: no network, no SDK. Every bad part is reported at once.
 */
import { IssueList, VaultError, type ProviderFields } from '@vault/core/provider';
import { PROVIDER_ID } from './options.js';

/** DNS suffixes of Key Vault in the public and sovereign clouds. */
export const KEY_VAULT_DOMAINS = ['vault.azure.net', 'vault.azure.cn', 'vault.usgovcloudapi.net', 'vault.microsoftazure.de'] as const;

/** A parsed, JSON-serializable link to one Key Vault secret. */
export interface AzureLink {
  /** The vault's origin, e.g. `https://contoso.vault.azure.net` or `https://localhost:8443`. */
  vaultUrl: string;
  /** Secret name as typed (Key Vault compares names case-insensitively). */
  name: string;
  /** 32-hex-char version id; absent = latest version on every fetch. */
  version?: string;
  /** False for hosts outside KEY_VAULT_DOMAINS (private endpoints, emulators). */
  knownDomain: boolean;
}

export const IDENTIFIER_FORM = 'https://<vault-name>.vault.azure.net/secrets/<secret-name>[/<version-id>]';
export const EXPECTED = {
  id: `a secret identifier ${IDENTIFIER_FORM} (also vault.azure.cn, vault.usgovcloudapi.net, vault.microsoftazure.de)`,
  scheme: 'https:// (Key Vault only serves HTTPS)',
  vault: 'a vault name of 3-24 letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
  path: '/secrets/<secret-name>[/<version-id>]',
  name: '1-127 letters, digits and hyphens',
  version: 'a 32-character hexadecimal version id, e.g. 4387e9f3d6e14c459867679a90fd0f79',
} as const;

const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION = /^[0-9a-fA-F]{32}$/;
const VAULT_NAME = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

export function knownKeyVaultSuffix(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  return KEY_VAULT_DOMAINS.find((suffix) => host.endsWith(`.${suffix}`));
}

/** Validates `fields.id` into a link, or throws INVALID_LINK listing every bad part. */
export function parseIdentifier(fields: ProviderFields): AzureLink {
  const raw = typeof fields.id === 'string' ? fields.id.trim() : '';
  const issues = new IssueList();
  if (!raw) {
    issues.add('id', 'missing', EXPECTED.id);
    throw invalid(issues);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    issues.add('id', `"${raw}" is not a URL`, EXPECTED.id);
    throw invalid(issues);
  }

  if (url.protocol !== 'https:') issues.add('scheme', `uses ${url.protocol.replace(/:$/, '')}://`, EXPECTED.scheme);
  if (url.username || url.password) issues.add('id', 'contains user credentials', EXPECTED.id);
  if (url.search || url.hash) issues.add('id', 'has a query string or fragment', EXPECTED.id);

  const suffix = knownKeyVaultSuffix(url.hostname);
  if (suffix) {
    const vaultName = url.hostname.slice(0, -(suffix.length + 1));
    if (!VAULT_NAME.test(vaultName)) issues.add('vault', `"${vaultName}" is not a valid vault name`, EXPECTED.vault);
  }

  // URL keeps empty segments for `//`; a trailing slash is harmless, other empties are not.
  const segments = url.pathname.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  const [collection, name, version, ...rest] = segments.map(safeDecode);
  if (collection === undefined || collection === '') {
    issues.add('path', 'has no /secrets/<secret-name> path', EXPECTED.path);
  } else if (collection.toLowerCase() !== 'secrets') {
    const hint =
      collection.toLowerCase() === 'certificates'
        ? `points to a certificate; its secret is at /secrets/${name ?? '<certificate-name>'}`
        : `points to "/${collection}", not to a secret`;
    issues.add('path', hint, EXPECTED.path);
  } else if (name === undefined || name === '') {
    issues.add('name', 'missing', EXPECTED.name);
  } else if (!SECRET_NAME.test(name)) {
    issues.add('name', `"${name}" has characters other than letters, digits and hyphens, or is longer than 127`, EXPECTED.name);
  }
  if (version !== undefined && !VERSION.test(version)) {
    issues.add('version', version === '' ? 'empty' : `"${version}" is not a version id`, EXPECTED.version);
  }
  if (rest.length > 0) issues.add('path', `has extra segments after the version: /${rest.join('/')}`, EXPECTED.path);

  issues.throwIfAny('INVALID_LINK', `Invalid Azure Key Vault secret identifier "${raw}".`, { provider: PROVIDER_ID });
  return {
    vaultUrl: url.origin,
    name: name!,
    ...(version ? { version: version.toLowerCase() } : {}),
    knownDomain: suffix !== undefined,
  };
}

/** The identifier in its canonical form, for display. */
export function formatIdentifier(link: AzureLink): string {
  return `${link.vaultUrl}/secrets/${link.name}${link.version ? `/${link.version}` : ''}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function invalid(issues: IssueList): VaultError {
  return new VaultError('INVALID_LINK', 'Invalid Azure Key Vault secret identifier.', { provider: PROVIDER_ID, issues: issues.items });
}
