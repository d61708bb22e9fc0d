/**
 * Shared setup for the Lowkey Vault integration tests: the peer's env, managed identity pointed
 * at Lowkey's token endpoint, a provider whose Key Vault requests are counted by an SDK pipeline
 * policy, and unique secret names per run.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderIO } from '@vault/core/provider';
import { requirePeer, type LowkeyPeer } from '../../../../tools/peers/require-peer.mjs';
import { lowkeySeeder } from '../../../../tools/peers/seed/lowkey.mjs';
import { createAzureProvider, type AzureSession } from '../../src/index.js';

export { lowkeySeeder, requirePeer, type LowkeyPeer };

export const peer = requirePeer('lowkey');

/**
 * Managed identity, App Service (2019-08-01) shape: MSAL's AppService source reads
 * IDENTITY_ENDPOINT + IDENTITY_HEADER and sends GET ?api-version=2019-08-01&resource=... with
 * X-IDENTITY-HEADER. Lowkey serves /metadata/identity/oauth2/token for any resource and ignores
 * the header. MSAL picks the source once per process, so set this before the first sign-in.
 */
export function useAppServiceManagedIdentity(lowkey: LowkeyPeer): void {
  process.env.IDENTITY_ENDPOINT = `${lowkey.tokenUrl}/metadata/identity/oauth2/token`;
  process.env.IDENTITY_HEADER = 'vaultlink-integration';
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function quietIo(env: Record<string, string | undefined> = process.env): ProviderIO {
  return {
    interactive: false,
    env,
    prompt: async () => {
      throw new Error('no prompts in integration tests');
    },
    openBrowser: async () => {
      throw new Error('no browser in integration tests');
    },
    info: () => undefined,
    warn: () => undefined,
    progress: () => undefined,
  };
}

export interface CountedRequest {
  method: string;
  origin: string;
  path: string;
  /** False for the SDK's first, unauthenticated request that fetches the challenge. */
  authorized: boolean;
}

/** A provider whose SecretClients report every operation (perCall) and every HTTP attempt (perRetry). */
export function countingProvider() {
  const operations: CountedRequest[] = [];
  const attempts: CountedRequest[] = [];
  const recorder = (into: CountedRequest[]) => ({
    name: `record-${into === operations ? 'operations' : 'attempts'}`,
    sendRequest: (
      request: { url: string; method: string; headers: { has(name: string): boolean } },
      next: (r: unknown) => Promise<unknown>,
    ) => {
      const url = new URL(request.url);
      into.push({ method: request.method, origin: url.origin, path: url.pathname, authorized: request.headers.has('authorization') });
      return next(request);
    },
  });
  const provider = createAzureProvider({
    maxRetries: 1,
    retryDelayInMs: 50,
    additionalPolicies: [
      { position: 'perCall', policy: recorder(operations) as never },
      { position: 'perRetry', policy: recorder(attempts) as never },
    ],
  });
  return {
    provider,
    operations,
    attempts,
    /** Secret reads (GET /secrets/...) the provider asked the SDK for. */
    reads: () => operations.filter((r) => r.method === 'GET' && r.path.startsWith('/secrets/')),
    reset: () => {
      operations.length = 0;
      attempts.length = 0;
    },
  };
}

export async function managedIdentitySession(provider = createAzureProvider()): Promise<AzureSession> {
  return (await provider.authenticate({ method: 'managed-identity' }, quietIo(), {})) as AzureSession;
}

/**
 * Sets a secret with a content type straight through the REST API: SecretClient 4.10.1 drops
 * `contentType` in setSecret/updateSecretProperties (it forwards only enabled, dates and tags).
 * Lowkey wants a bearer token but does not check it. Returns the new version id.
 */
export async function putSecretWithContentType(
  vaultUrl: string,
  name: string,
  value: string,
  contentType: string,
  tags: Record<string, string>,
): Promise<string> {
  const response = await fetch(`${vaultUrl}/secrets/${name}?api-version=7.6`, {
    method: 'PUT',
    headers: { authorization: 'Bearer vaultlink-seeding', 'content-type': 'application/json' },
    body: JSON.stringify({ value, contentType, tags }),
  });
  if (!response.ok) throw new Error(`seeding ${name} failed: HTTP ${response.status}`);
  const { id } = (await response.json()) as { id: string };
  return id.split('/').pop()!;
}
