/**
 * Key Vault data-plane answers on nock: the 401 challenge the SDK expects first, secret bodies
 * and Azure-shaped errors. Only for faults a real peer cannot be made to produce on demand
 * (429, 403, token expiry); the happy paths run against Lowkey Vault in the integration tests.
 */
import nock from 'nock';
import { AUTHORITY_HOST, TENANT_ID } from './entra-stub.js';

export const VAULT = 'https://contoso.vault.azure.net';

export function challengeHeaders(tenant = TENANT_ID): Record<string, string> {
  return { 'WWW-Authenticate': `Bearer authorization="${AUTHORITY_HOST}/${tenant}", resource="https://vault.azure.net"` };
}

export function secretBody(
  name: string,
  value: string,
  options: {
    version?: string;
    enabled?: boolean;
    exp?: Date;
    nbf?: Date;
    contentType?: string;
    tags?: Record<string, string>;
  } = {},
): Record<string, unknown> {
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  return {
    value,
    id: `${VAULT}/secrets/${name}/${options.version ?? '0123456789abcdef0123456789abcdef'}`,
    ...(options.contentType ? { contentType: options.contentType } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
    attributes: {
      enabled: options.enabled ?? true,
      created: 1_700_000_000,
      updated: 1_700_000_100,
      recoveryLevel: 'Recoverable+Purgeable',
      ...(options.exp ? { exp: seconds(options.exp) } : {}),
      ...(options.nbf ? { nbf: seconds(options.nbf) } : {}),
    },
  };
}

export function azureError(code: string, message: string, inner?: string): Record<string, unknown> {
  return { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } };
}

/** Counts Authorization-bearing requests (the challenge round trip carries none). */
export function keyVault(): nock.Scope {
  return nock(VAULT);
}
