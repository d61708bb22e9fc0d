/**
 * AWS SDK clients, made lazily: one Secrets Manager / STS client per credentials + region,
 * and AssumeRole credentials cached until they expire, shared by every secret using the role.
 * Endpoints come from the SDK's own config (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SECRETS_MANAGER,
 * AWS_ENDPOINT_URL_STS, endpoint_url in the shared config); retries from its standard strategy.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import { PromiseCache } from '@vault/core/provider';
import { toVaultError } from './errors.js';
import type { AwsProviderOptions } from './options.js';
import { credentialsKey, isExpired, toIdentity, type StoredCredentials } from './session.js';
import { loadHttpHandler, loadSecretsManager, loadSts } from './sdk.js';

/** What every SDK `send` gets: cancellation and a per-request timeout. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs: number;
}

export function sendOptions(call: CallOptions): { abortSignal?: AbortSignal; requestTimeout: number } {
  return { ...(call.signal ? { abortSignal: call.signal } : {}), requestTimeout: call.timeoutMs };
}

const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ROLE_SECONDS = 3600;
/** Re-assume a role this long before its credentials expire. */
const ROLE_RENEW_MARGIN_MS = 60_000;

export class AwsClients {
  /** One client per credentials + region, built once; a failed build is forgotten so the next call retries. */
  private readonly secretsManagerClients = new PromiseCache<SecretsManagerClient>();
  private readonly stsClients = new PromiseCache<STSClient>();
  /** Role credentials per base credentials + role ARN, until shortly before they expire; failures are not kept (policies may get fixed). */
  private readonly roles = new PromiseCache<StoredCredentials>({
    expiresAt: (credentials) => (credentials.expiration ? Date.parse(credentials.expiration) : undefined),
    renewBeforeMs: ROLE_RENEW_MARGIN_MS,
  });
  /** credentials+region groups whose BatchGetSecretValue was denied: they go straight to GetSecretValue. */
  readonly batchDenied = new Set<string>();

  constructor(private readonly options: AwsProviderOptions = {}) {}

  get defaultTimeoutMs(): number {
    return this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private async commonConfig(credentials: StoredCredentials, region: string) {
    const { NodeHttpHandler } = await loadHttpHandler();
    return {
      region,
      credentials: toIdentity(credentials),
      maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      retryMode: 'standard',
      requestHandler: new NodeHttpHandler({
        requestTimeout: this.defaultTimeoutMs,
        connectionTimeout: this.defaultTimeoutMs,
        // Without this the handler only logs a warning when requestTimeout passes.
        throwOnRequestTimeout: true,
      }),
    };
  }

  secretsManager(credentials: StoredCredentials, region: string): Promise<SecretsManagerClient> {
    return this.secretsManagerClients.get(`${credentialsKey(credentials)} ${region}`, async () => {
      const [{ SecretsManagerClient }, config] = await Promise.all([loadSecretsManager(), this.commonConfig(credentials, region)]);
      const made = new SecretsManagerClient(config);
      this.options.onClient?.(made as never, 'secretsmanager');
      return made;
    });
  }

  sts(credentials: StoredCredentials, region: string): Promise<STSClient> {
    return this.stsClients.get(`${credentialsKey(credentials)} ${region}`, async () => {
      const [{ STSClient }, config] = await Promise.all([loadSts(), this.commonConfig(credentials, region)]);
      const made = new STSClient(config);
      this.options.onClient?.(made as never, 'sts');
      return made;
    });
  }

  /** Credentials for reading a secret: the session's own, or the role's (STS AssumeRole with the session's credentials). */
  async credentialsFor(
    base: StoredCredentials,
    roleArn: string | undefined,
    region: string,
    call: CallOptions,
  ): Promise<StoredCredentials> {
    if (!roleArn) return base;
    return this.roles.get(`${credentialsKey(base)} ${roleArn}`, () => this.assumeRole(base, roleArn, region, call));
  }

  /** Drops cached role credentials AWS no longer accepts, so the next fetch assumes the role again. */
  forgetRole(base: StoredCredentials, roleArn: string): void {
    this.roles.delete(`${credentialsKey(base)} ${roleArn}`);
  }

  private async assumeRole(base: StoredCredentials, roleArn: string, region: string, call: CallOptions): Promise<StoredCredentials> {
    try {
      const [sts, { AssumeRoleCommand }] = await Promise.all([this.sts(base, region), loadSts()]);
      const answer = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: `vaultlink-${Date.now()}`,
          DurationSeconds: this.options.roleSessionSeconds ?? DEFAULT_ROLE_SECONDS,
        }),
        sendOptions(call),
      );
      const c = answer.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) {
        throw Object.assign(new Error('STS AssumeRole returned no credentials'), { name: 'InvalidResponse' });
      }
      const credentials: StoredCredentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: new Date(c.Expiration).toISOString() } : {}),
      };
      if (isExpired(credentials.expiration)) {
        throw Object.assign(new Error('STS AssumeRole returned credentials that are already expired'), { name: 'ExpiredToken' });
      }
      return credentials;
    } catch (error) {
      throw toVaultError(error, { operation: 'AssumeRole', phase: 'use', roleArn, timeoutMs: call.timeoutMs });
    }
  }
}
