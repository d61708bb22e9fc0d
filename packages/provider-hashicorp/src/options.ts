/**
 * Flags the provider offers on `setup`, `connect` and `link`, and the typed settings they
 * turn into. The CLI builds real flags from these specs (field name = camelCase of flag).
 */
import { JSON_POINTER_FLAG, type FlagSpec } from '@vault/core/provider';

export const PROVIDER_ID = 'hashicorp';
export const REAUTH_FIX = { action: 'reauth', provider: PROVIDER_ID } as const;
export const CONNECT_FIX = { action: 'connect', provider: PROVIDER_ID } as const;

/** The port the `vault` CLI's OIDC helper listens on; Vault matches redirect URIs exactly. */
export const DEFAULT_REDIRECT_URI = 'http://localhost:8250/oidc/callback';
export const DEFAULT_JWT_PATH = 'vaultlink-jwt';
export const DEFAULT_ROLE = 'vaultlink';
/** Name of the OIDC client application and of the OIDC provider that `--bootstrap` creates. */
export const DEFAULT_OIDC_NAME = 'vaultlink';
export const DEFAULT_POLICY_NAME = 'vaultlink-read';
export const DEFAULT_APPROLE_PATH = 'approle';
/** How long `connect` waits for the browser to come back to the loopback redirect. */
export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 300;

export const CONNECT_METHODS = ['oidc', 'token', 'approle'] as const;
export type ConnectMethod = (typeof CONNECT_METHODS)[number];

/**
 * What `setup` writes into the team config. Members read it; it holds no secrets.
 * `vaultAddr` is only present when the Vault API is not at the OIDC provider URL's origin.
 */
export interface HashicorpTeamSettings {
  /** The OIDC provider's issuer, e.g. `https://vault.example.com/v1/identity/oidc/provider/vaultlink`. */
  oidcProviderUrl: string;
  /** Mount path of the JWT auth method, without `auth/`. */
  jwtPath: string;
  /** client_id of the public OIDC client application. */
  clientId: string;
  /** JWT auth role members log in with. */
  role: string;
  /** Vault Enterprise / OpenBao namespace, sent as X-Vault-Namespace. */
  namespace?: string;
  /** Loopback redirect URI registered on the OIDC client (exact match). */
  redirectUri: string;
  /** Vault API address when it differs from the OIDC provider URL's origin. */
  vaultAddr?: string;
}

const vaultAddrFlag = {
  name: 'vault-addr',
  description: "Vault API address, e.g. https://vault.example.com:8200 (default: the OIDC provider URL's origin)",
  type: 'string',
  env: 'VAULT_ADDR',
  placeholder: 'URL',
} as const satisfies FlagSpec;
const namespaceFlag = {
  name: 'namespace',
  description: 'Vault namespace (Enterprise / OpenBao), sent as X-Vault-Namespace on every call',
  type: 'string',
  env: 'VAULT_NAMESPACE',
  placeholder: 'NAMESPACE',
} as const satisfies FlagSpec;
const caCertFlag = {
  name: 'ca-cert',
  description: 'PEM file of the CA that signed the Vault server certificate',
  type: 'string',
  env: 'VAULT_CACERT',
  placeholder: 'FILE',
} as const satisfies FlagSpec;

export const SETUP_FLAGS = [
  {
    name: 'oidc-provider-url',
    description: "OIDC provider URL (the provider's issuer): https://VAULT/v1/identity/oidc/provider/NAME",
    type: 'string',
    placeholder: 'URL',
  },
  { name: 'jwt-path', description: `Mount path of the JWT auth method (default ${DEFAULT_JWT_PATH})`, type: 'string', placeholder: 'PATH' },
  { name: 'client-id', description: 'client_id of the public OIDC client application', type: 'string', placeholder: 'ID' },
  { name: 'role', description: `JWT auth role members sign in with (default ${DEFAULT_ROLE})`, type: 'string', placeholder: 'ROLE' },
  namespaceFlag,
  {
    name: 'redirect-uri',
    description: `Loopback redirect URI registered on the OIDC client (default ${DEFAULT_REDIRECT_URI})`,
    type: 'string',
    placeholder: 'URI',
  },
  vaultAddrFlag,
  caCertFlag,
  {
    name: 'admin-token',
    description: 'Vault token of an admin allowed to set up the OIDC provider and JWT auth',
    type: 'string',
    secret: true,
    env: 'VAULT_TOKEN',
    placeholder: 'TOKEN',
  },
  {
    name: 'bootstrap',
    description: 'Create the OIDC client, OIDC provider, JWT auth method, read policy and role in Vault (idempotent)',
    type: 'boolean',
  },
  {
    name: 'print-commands',
    description: 'Print the equivalent vault/bao commands with the names filled in; nothing is changed in Vault',
    type: 'boolean',
    dryRun: true,
  },
  {
    name: 'oidc-name',
    description: `Name of the OIDC client and OIDC provider --bootstrap creates (default ${DEFAULT_OIDC_NAME})`,
    type: 'string',
    placeholder: 'NAME',
  },
  {
    name: 'policy-name',
    description: `Name of the read policy --bootstrap attaches to the role (default ${DEFAULT_POLICY_NAME})`,
    type: 'string',
    placeholder: 'NAME',
  },
  {
    name: 'read-path',
    description: 'Path the read policy grants (repeatable; default "*" with sys/* and auth/* denied, as in the Vault-side guide)',
    type: 'list',
    placeholder: 'PATH',
  },
] as const satisfies readonly FlagSpec[];

export const CONNECT_FLAGS = [
  {
    name: 'method',
    description: 'How to sign in: oidc (browser, default), token, or approle',
    type: 'string',
    choices: CONNECT_METHODS,
    placeholder: 'METHOD',
  },
  {
    name: 'token',
    description: '--method token: a Vault token (else ~/.vault-token)',
    type: 'string',
    secret: true,
    env: 'VAULT_TOKEN',
    placeholder: 'TOKEN',
  },
  { name: 'role-id', description: '--method approle: the AppRole role_id', type: 'string', env: 'VAULT_ROLE_ID', placeholder: 'ID' },
  {
    name: 'secret-id',
    description: '--method approle: the AppRole secret_id',
    type: 'string',
    secret: true,
    env: 'VAULT_SECRET_ID',
    placeholder: 'ID',
  },
  {
    name: 'approle-path',
    description: `--method approle: mount path of the AppRole auth method (default ${DEFAULT_APPROLE_PATH})`,
    type: 'string',
    placeholder: 'PATH',
  },
  {
    name: 'login-timeout',
    description: `--method oidc: seconds to wait for the browser sign-in (default ${DEFAULT_LOGIN_TIMEOUT_SECONDS})`,
    type: 'string',
    placeholder: 'SECONDS',
  },
  vaultAddrFlag,
  namespaceFlag,
  caCertFlag,
] as const satisfies readonly FlagSpec[];

export const LINK_FLAGS = [
  { name: 'engine', description: 'Mount path of the KV secrets engine, e.g. secret', type: 'string', placeholder: 'MOUNT' },
  { name: 'path', description: 'Path of the secret inside the engine, e.g. team/api', type: 'string', placeholder: 'PATH' },
  { name: 'key', description: 'Key name inside the secret', type: 'string', placeholder: 'KEY' },
  { name: 'version', description: 'KV v2 version to pin (default: latest)', type: 'string', placeholder: 'N' },
  {
    name: 'kv-version',
    description: 'KV engine version when it cannot be detected (policies that deny sys/)',
    type: 'string',
    choices: ['1', '2'],
    placeholder: '1|2',
  },
  // Into the key's value: a nested object in the KV data, or a string that holds JSON.
  JSON_POINTER_FLAG,
] as const satisfies readonly FlagSpec[];
