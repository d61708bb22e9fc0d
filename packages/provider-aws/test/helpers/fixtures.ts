/** Sessions and a scripted ProviderIO for unit tests. */
import { VaultError, type ProviderIO } from '@vault/core/provider';
import type { AwsSession, StoredCredentials } from '../../src/session.js';
import { ACCOUNT } from './fake-aws.js';

export const KEYS: StoredCredentials = { accessKeyId: 'AKIAUNITTEST00000001', secretAccessKey: 'unit-test-secret-access-key' };

export function keySession(credentials: StoredCredentials = KEYS, extra: Partial<AwsSession> = {}): AwsSession {
  return {
    provider: 'aws',
    organization: ACCOUNT,
    principal: `account ${ACCOUNT} (arn:aws:iam::${ACCOUNT}:user/alice)`,
    expiresAt: credentials.expiration ?? null,
    createdAt: new Date().toISOString(),
    data: { credentials, region: 'us-east-1', source: { kind: 'keys' } },
    ...extra,
  };
}

export function signal(): AbortSignal {
  return new AbortController().signal;
}

export interface ScriptedIO extends ProviderIO {
  prompts: Array<{ question: string; secret: boolean }>;
  infos: string[];
  warnings: string[];
}

/** answers: matched by a word in the question (first match wins). */
export function scriptedIo(
  options: { interactive?: boolean; env?: Record<string, string | undefined>; answers?: Array<[RegExp, string]> } = {},
): ScriptedIO {
  const prompts: ScriptedIO['prompts'] = [];
  const infos: string[] = [];
  const warnings: string[] = [];
  return {
    interactive: options.interactive ?? false,
    env: options.env ?? {},
    prompts,
    infos,
    warnings,
    async prompt(question, opts) {
      prompts.push({ question, secret: opts?.secret === true });
      if (!options.interactive) throw new VaultError('INVALID_INPUT', `cannot prompt: ${question}`);
      const answer = options.answers?.find(([pattern]) => pattern.test(question))?.[1];
      if (answer === undefined) throw new Error(`unexpected prompt: ${question}`);
      return answer;
    },
    async openBrowser() {},
    info: (m) => infos.push(m),
    warn: (m) => warnings.push(m),
    progress: () => undefined,
  };
}
