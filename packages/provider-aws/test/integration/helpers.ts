/**
 * Shared bits of the moto integration tests: the peers' env contract, a provider whose SDK
 * clients report every HTTP attempt through middleware, and a non-interactive ProviderIO.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderIO } from '@vault/core/provider';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { createAwsProvider, type AwsProvider, type AwsProviderOptions } from '../../src/index.js';

export { requirePeer };
export { allow, motoSeeder, trustPolicyFor, OPEN_MOTO_CREDENTIALS } from '../../../../tools/peers/seed/moto.mjs';

/** One request the provider sent (recorded per HTTP attempt, retries included). */
export interface SentCall {
  service: 'secretsmanager' | 'sts';
  command: string;
  input: Record<string, unknown>;
  /** Access key ID the request was signed with (from its SigV4 Authorization header). */
  signedWith?: string;
}

export const READ_COMMANDS = new Set(['GetSecretValueCommand', 'BatchGetSecretValueCommand']);

export interface CountingProvider {
  provider: AwsProvider;
  calls: SentCall[];
  /** Secrets Manager calls since the last reset. */
  secretsManagerCalls(): SentCall[];
  reset(): void;
}

/** A provider whose every SDK client carries a spy middleware at the deserialize step (once per attempt). */
export function countingProvider(options: AwsProviderOptions = {}): CountingProvider {
  const calls: SentCall[] = [];
  const provider = createAwsProvider({
    ...options,
    onClient: (client, service) => {
      (client.middlewareStack as unknown as { add: (mw: unknown, o: unknown) => void }).add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
          async (args: { input?: Record<string, unknown>; request?: { headers?: Record<string, string> } }) => {
            const authorization = args.request?.headers?.authorization ?? '';
            const signedWith = /Credential=([^/]+)\//.exec(authorization)?.[1];
            calls.push({
              service,
              command: context.commandName ?? '?',
              input: { ...(args.input ?? {}) },
              ...(signedWith ? { signedWith } : {}),
            });
            return next(args);
          },
        { step: 'deserialize', name: 'vaultlinkTestSpy' },
      );
      options.onClient?.(client, service);
    },
  });
  return {
    provider,
    calls,
    secretsManagerCalls: () => calls.filter((c) => c.service === 'secretsmanager'),
    reset: () => {
      calls.length = 0;
    },
  };
}

/** Unique names per run: moto keeps IAM and secrets for the life of the peer. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function quietIo(env: Record<string, string | undefined> = process.env): ProviderIO & { infos: string[] } {
  const infos: string[] = [];
  return {
    interactive: false,
    env,
    infos,
    prompt: async (question) => {
      throw new Error(`unexpected prompt in a test: ${question}`);
    },
    openBrowser: async () => undefined,
    info: (m) => infos.push(m),
    warn: (m) => infos.push(m),
    progress: () => undefined,
  };
}

export function signal(): AbortSignal {
  return new AbortController().signal;
}

/** Points the provider's SDK at a peer through the standard variable (the SDK reads it itself). */
export function useEndpoint(endpoint: string): () => void {
  const saved = { url: process.env.AWS_ENDPOINT_URL, warn: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED };
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return () => {
    if (saved.url === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved.url;
    if (saved.warn === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  };
}

/** A well-formed ARN (in the peer's account and region) of a secret that does not exist. */
export function missingArn(account: string, region: string): string {
  return `arn:aws:secretsmanager:${region}:${account}:secret:${uniqueName('vaultlink-missing')}-AbCdEf`;
}
