/**
 * Flags the CLI builds for `link` and `connect`, the options of `createAzureProvider`,
 * and validation of connect input (every bad field at once, INVALID_INPUT).
 */
import { readFileSync } from 'node:fs';
import { JSON_POINTER_FLAG, readFields, type FlagSpec, type IssueList, type ProviderFields } from '@vault/core/provider';

export const PROVIDER_ID = 'azure';
export const REAUTH_FIX = { action: 'reauth', provider: PROVIDER_ID } as const;
export const CONNECT_FIX = { action: 'connect', provider: PROVIDER_ID } as const;

export const SIGN_IN_METHODS = ['browser', 'device-code', 'cli', 'client-secret', 'client-certificate', 'managed-identity'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** Scope of the Key Vault data plane in the public cloud. */
export const DEFAULT_SCOPE = 'https://vault.azure.net/.default';

/** Sovereign clouds: sign-in host → Key Vault scope, so `--authority-host` alone picks the right scope. */
const SCOPE_BY_AUTHORITY: Record<string, string> = {
  'login.chinacloudapi.cn': 'https://vault.azure.cn/.default',
  'login.microsoftonline.us': 'https://vault.usgovcloudapi.net/.default',
  'login.microsoftonline.de': 'https://vault.microsoftazure.de/.default',
};

export const LINK_FLAGS = [
  {
    name: 'id',
    type: 'string',
    placeholder: 'URI',
    description: 'Secret identifier: https://<vault>.vault.azure.net/secrets/<name>[/<version>] (no version = latest on every fetch).',
  },
  // Into the secret's value when it holds JSON (core parses and applies the pointer).
  JSON_POINTER_FLAG,
] as const satisfies readonly FlagSpec[];

export const CONNECT_FLAGS = [
  {
    name: 'method',
    type: 'string',
    choices: SIGN_IN_METHODS,
    placeholder: 'METHOD',
    description: 'How to sign in (default browser: Microsoft sign-in page with PKCE).',
  },
  {
    name: 'tenant',
    type: 'string',
    env: 'AZURE_TENANT_ID',
    placeholder: 'TENANT',
    description: 'Directory (tenant) ID or domain; required for client-secret and client-certificate.',
  },
  {
    name: 'client-id',
    type: 'string',
    placeholder: 'GUID',
    description:
      'Application (client) ID; required for client-secret/client-certificate (else AZURE_CLIENT_ID), optional public client for browser/device-code.',
  },
  {
    name: 'client-secret',
    type: 'string',
    secret: true,
    env: 'AZURE_CLIENT_SECRET',
    placeholder: 'SECRET',
    description: "--method client-secret: the application's client secret.",
  },
  {
    name: 'certificate-path',
    type: 'string',
    env: 'AZURE_CLIENT_CERTIFICATE_PATH',
    placeholder: 'PATH',
    description: '--method client-certificate: PEM file with the certificate and its unencrypted private key.',
  },
  {
    name: 'managed-identity-client-id',
    type: 'string',
    placeholder: 'GUID',
    description: '--method managed-identity: client ID of a user-assigned identity (default: system-assigned).',
  },
  {
    name: 'authority-host',
    type: 'string',
    env: 'AZURE_AUTHORITY_HOST',
    placeholder: 'URL',
    description: 'Microsoft Entra sign-in host, e.g. https://login.chinacloudapi.cn (default https://login.microsoftonline.com).',
  },
  {
    name: 'disable-instance-discovery',
    type: 'boolean',
    description: "Skip Microsoft's authority discovery (Azure Stack, private or test authorities).",
  },
  {
    name: 'scope',
    type: 'string',
    placeholder: 'SCOPE',
    description: `Scope requested at sign-in (default ${DEFAULT_SCOPE}, or the sovereign cloud's Key Vault scope).`,
  },
] as const satisfies readonly FlagSpec[];

/** Options of `createAzureProvider`. */
export interface AzureProviderOptions {
  /**
   * Retries of one Key Vault call after the first try: 429/503 wait for Retry-After,
   * other transient failures back off exponentially. Then THROTTLED / PROVIDER_UNAVAILABLE.
   * @default 3
   */
  maxRetries?: number;
  /**
   * First exponential back-off delay in ms (429 responses use Retry-After instead).
   * @default 500
   */
  retryDelayInMs?: number;
  /**
   * Longest exponential back-off delay in ms.
   * @default 8000
   */
  maxRetryDelayInMs?: number;
  /**
   * How long the browser sign-in waits for the redirect before giving up.
   * @default 300000
   */
  browserTimeoutMs?: number;
  /** Extra Azure SDK pipeline policies for every SecretClient, e.g. one that counts requests. */
  additionalPolicies?: Array<{ policy: { name: string; sendRequest: (...args: never[]) => unknown }; position: 'perCall' | 'perRetry' }>;
}

/** Validated connect input. */
export interface ConnectOptions {
  method: SignInMethod;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  certificatePath?: string;
  managedIdentityClientId?: string;
  authorityHost?: string;
  disableInstanceDiscovery: boolean;
  scope: string;
  noBrowser: boolean;
}

const TENANT = /^[0-9a-zA-Z.-]{1,256}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCOPE = /^https:\/\/[^\s/]+(\/[^\s]*)?\/\.default$/;

export const EXPECTED = {
  method: SIGN_IN_METHODS.join(', '),
  tenant: 'a directory (tenant) ID such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or a domain such as contoso.onmicrosoft.com',
  clientId: 'an application (client) ID GUID such as 00000000-0000-0000-0000-000000000000',
  clientSecret: 'the client secret value (not its ID), from --client-secret-stdin or AZURE_CLIENT_SECRET',
  certificatePath: 'the path of a readable PEM file holding the certificate and its private key',
  authorityHost: 'an https URL such as https://login.microsoftonline.com',
  scope: `a scope ending in /.default such as ${DEFAULT_SCOPE}`,
} as const;

/** Which secret-bearing flags belong to which method, to flag ones given for another method. */
const METHOD_ONLY: Array<[flag: 'client-secret' | 'certificate-path' | 'managed-identity-client-id', method: SignInMethod]> = [
  ['client-secret', 'client-secret'],
  ['certificate-path', 'client-certificate'],
  ['managed-identity-client-id', 'managed-identity'],
];

/**
 * Validates connect fields. `env` fills the standard AZURE_* variables the CLI may not have
 * applied; `previous` (on reauth) supplies what connectOptions do not keep, e.g. the client secret.
 */
export function parseConnectOptions(
  fields: ProviderFields,
  env: Readonly<Record<string, string | undefined>>,
  previous?: Partial<ConnectOptions>,
): ConnectOptions {
  const read = readFields(CONNECT_FLAGS, fields, { strict: false });
  const issues = read.issues;
  const text = (_: ProviderFields, key: (typeof CONNECT_FLAGS)[number]['name']): string | undefined => read.text(key);
  const methodText = text(fields, 'method') ?? previous?.method ?? 'browser';
  const method = (SIGN_IN_METHODS as readonly string[]).includes(methodText) ? (methodText as SignInMethod) : undefined;
  if (!method) issues.add('method', `"${methodText}" is not a sign-in method`, EXPECTED.method);

  const servicePrincipal = method === 'client-secret' || method === 'client-certificate';
  const tenantId = text(fields, 'tenant') ?? previous?.tenantId ?? env.AZURE_TENANT_ID;
  const clientId = text(fields, 'client-id') ?? previous?.clientId ?? (servicePrincipal ? env.AZURE_CLIENT_ID : undefined);
  const clientSecret =
    text(fields, 'client-secret') ?? previous?.clientSecret ?? (method === 'client-secret' ? env.AZURE_CLIENT_SECRET : undefined);
  const certificatePath =
    text(fields, 'certificate-path') ??
    previous?.certificatePath ??
    (method === 'client-certificate' ? env.AZURE_CLIENT_CERTIFICATE_PATH : undefined);
  const managedIdentityClientId = text(fields, 'managed-identity-client-id') ?? previous?.managedIdentityClientId;
  const authorityHost = text(fields, 'authority-host') ?? previous?.authorityHost ?? env.AZURE_AUTHORITY_HOST;
  const disableInstanceDiscovery = fields.disableInstanceDiscovery === true || previous?.disableInstanceDiscovery === true;
  // The CLI owns `--no-browser` (its io.openBrowser then prints the URL; index.ts passes io.noBrowser
  // in here); VAULTLINK_NO_BROWSER serves scripts, and direct API callers may pass `noBrowser: true`.
  const noBrowser = fields.noBrowser === true || fields.browser === false || ['1', 'true'].includes(env.VAULTLINK_NO_BROWSER ?? '');

  if (tenantId !== undefined && !TENANT.test(tenantId)) issues.add('tenant', `"${tenantId}" is not a tenant`, EXPECTED.tenant);
  if (servicePrincipal && tenantId === undefined) issues.add('tenant', `missing (required by --method ${method})`, EXPECTED.tenant);
  if (clientId !== undefined && !GUID.test(clientId)) issues.add('client-id', `"${clientId}" is not a GUID`, EXPECTED.clientId);
  if (servicePrincipal && clientId === undefined) issues.add('client-id', `missing (required by --method ${method})`, EXPECTED.clientId);
  if (method === 'client-secret' && clientSecret === undefined) issues.add('client-secret', 'missing', EXPECTED.clientSecret);
  if (method === 'client-certificate') checkCertificate(certificatePath, issues);
  if (managedIdentityClientId !== undefined && !GUID.test(managedIdentityClientId)) {
    issues.add('managed-identity-client-id', `"${managedIdentityClientId}" is not a GUID`, EXPECTED.clientId);
  }
  if (method) {
    for (const [flag, owner] of METHOD_ONLY) {
      if (owner !== method && text(fields, flag) !== undefined)
        issues.add(flag, `only used with --method ${owner}, not ${method}`, `no --${flag} with --method ${method}`);
    }
  }
  if (authorityHost !== undefined && !isHttpsUrl(authorityHost))
    issues.add('authority-host', `"${authorityHost}" is not an https URL`, EXPECTED.authorityHost);
  const scope = text(fields, 'scope') ?? previous?.scope ?? defaultScope(authorityHost);
  if (!SCOPE.test(scope)) issues.add('scope', `"${scope}" is not a .default scope`, EXPECTED.scope);

  issues.throwIfAny('INVALID_INPUT', 'Invalid options for `vaultlink connect azure`.', { provider: PROVIDER_ID });
  return {
    method: method!,
    ...(tenantId !== undefined ? { tenantId } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(method === 'client-secret' && clientSecret !== undefined ? { clientSecret } : {}),
    ...(method === 'client-certificate' && certificatePath !== undefined ? { certificatePath } : {}),
    ...(method === 'managed-identity' && managedIdentityClientId !== undefined ? { managedIdentityClientId } : {}),
    ...(authorityHost !== undefined ? { authorityHost: authorityHost.replace(/\/+$/, '') } : {}),
    disableInstanceDiscovery,
    scope,
    noBrowser,
  };
}

function defaultScope(authorityHost: string | undefined): string {
  if (!authorityHost || !isHttpsUrl(authorityHost)) return DEFAULT_SCOPE;
  return SCOPE_BY_AUTHORITY[new URL(authorityHost).hostname] ?? DEFAULT_SCOPE;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function checkCertificate(path: string | undefined, issues: IssueList): void {
  if (path === undefined) {
    issues.add('certificate-path', 'missing (required by --method client-certificate)', EXPECTED.certificatePath);
    return;
  }
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    issues.add('certificate-path', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, EXPECTED.certificatePath);
    return;
  }
  // Only the PEM markers are checked here; @azure/identity parses the file itself.
  if (!/-----BEGIN CERTIFICATE-----/.test(pem) || !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) {
    issues.add('certificate-path', `${path} does not hold both a PEM certificate and an unencrypted private key`, EXPECTED.certificatePath);
  }
}
