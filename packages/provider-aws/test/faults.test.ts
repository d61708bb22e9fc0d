/**
 * Faults through the real SDK stack against a fake AWS (nock): throttling goes through the
 * SDK's own retry strategy, then THROTTLED; timeouts and network errors are
 * PROVIDER_UNAVAILABLE; token problems REAUTH_REQUIRED; denials never NOT_FOUND.
 */
import type { FetchResult, VaultError } from '@vault/core/provider';
import { readLinks } from '@vault/core/provider';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsProvider } from '../src/index.js';
import { arnOf, fakeAws, resetFakes, smError, stsError, stsIdentity, useFakeEndpoints } from './helpers/fake-aws.js';
import { keySession, signal } from './helpers/fixtures.js';

beforeAll(useFakeEndpoints);
afterEach(resetFakes);

const ARN = arnOf('db');
const VALUE = 'the-stored-value-123';

function errorOf(result: FetchResult | undefined): VaultError {
  expect(result?.ok).toBe(false);
  return (result as { ok: false; error: VaultError }).error;
}

async function fetchOne(p = createAwsProvider(), session = keySession(), options: { signal?: AbortSignal; timeoutMs?: number } = {}) {
  const [result] = await readLinks(p, [p.parseLink({ arn: ARN })], session, {
    signal: options.signal ?? signal(),
    ...(options.timeoutMs ? { requestTimeoutMs: options.timeoutMs } : {}),
  });
  return result;
}

const found = (): [number, unknown] => [200, { ARN, Name: 'db', SecretString: VALUE, VersionId: 'v1' }];

describe('throttling', () => {
  it('retries ThrottlingException with the SDK strategy, then fails THROTTLED after maxAttempts', async () => {
    const aws = fakeAws({ secretsmanager: () => smError('ThrottlingException', 'Rate exceeded') });
    // The provider's own read (core then pauses the provider and tries again: tested in core).
    const p = createAwsProvider({ maxAttempts: 3 });
    const error = (await p
      .readDocument(p.parseLink({ arn: ARN }), keySession(), { signal: signal(), timeoutMs: 5_000 })
      .catch((e: unknown) => e)) as VaultError;
    expect(error.code).toBe('THROTTLED');
    expect(error.fix).toBeTruthy();
    expect(aws.calls).toHaveLength(3);
  });

  it('gets through when a retry succeeds', async () => {
    let n = 0;
    const aws = fakeAws({ secretsmanager: () => (++n === 1 ? smError('ThrottlingException', 'Rate exceeded') : found()) });
    expect(await fetchOne()).toMatchObject({ ok: true, value: VALUE });
    expect(aws.calls).toHaveLength(2);
  });

  it('treats HTTP 429 without a known code as throttling', async () => {
    fakeAws({ secretsmanager: () => [429, { __type: 'SomethingNew', message: 'slow down' }] });
    expect(errorOf(await fetchOne(createAwsProvider({ maxAttempts: 2 }))).code).toBe('THROTTLED');
  });
});

describe('unavailable', () => {
  it('turns a request timeout into PROVIDER_UNAVAILABLE, after the SDK retried it', async () => {
    const aws = fakeAws({ secretsmanager: () => new Promise((resolve) => setTimeout(() => resolve(found() as never), 3_000)) });
    const started = Date.now();
    const error = errorOf(await fetchOne(createAwsProvider({ maxAttempts: 2 }), keySession(), { timeoutMs: 200 }));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.details.timedOut).toBe(true);
    expect(error.message).toContain('200 ms');
    expect(aws.calls).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_900);
  });

  it('turns a refused connection into PROVIDER_UNAVAILABLE', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = 'http://127.0.0.1:1';
    const nock = (await import('nock')).default;
    nock.enableNetConnect('127.0.0.1');
    try {
      const error = errorOf(await fetchOne(createAwsProvider({ maxAttempts: 1 })));
      expect(error.code).toBe('PROVIDER_UNAVAILABLE');
      expect(error.message).toMatch(/Cannot reach AWS/);
    } finally {
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
      nock.disableNetConnect();
    }
  });

  it('turns 5xx answers into PROVIDER_UNAVAILABLE after retries', async () => {
    const aws = fakeAws({ secretsmanager: () => smError('InternalServiceError', 'boom', 500) });
    expect(errorOf(await fetchOne(createAwsProvider({ maxAttempts: 2 }))).code).toBe('PROVIDER_UNAVAILABLE');
    expect(aws.calls).toHaveLength(2);
  });
});

describe('auth failures are never NOT_FOUND', () => {
  it('maps ResourceNotFoundException to NOT_FOUND', async () => {
    fakeAws({ secretsmanager: () => smError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.") });
    expect(errorOf(await fetchOne()).code).toBe('NOT_FOUND');
  });

  it('maps AccessDeniedException to ACCESS_DENIED naming secretsmanager:GetSecretValue', async () => {
    fakeAws({
      secretsmanager: () =>
        smError(
          'AccessDeniedException',
          'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: secretsmanager:GetSecretValue',
        ),
    });
    const error = errorOf(await fetchOne());
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('secretsmanager:GetSecretValue');
    expect(error.message).toContain(ARN);
  });

  it.each(['ExpiredTokenException', 'UnrecognizedClientException', 'InvalidSignatureException'])(
    'maps %s to REAUTH_REQUIRED with the reauth command',
    async (type) => {
      fakeAws({ secretsmanager: () => smError(type, 'The security token included in the request is expired', 400) });
      const error = errorOf(await fetchOne());
      expect(error.code).toBe('REAUTH_REQUIRED');
      expect(error.fix).toEqual({ action: 'reauth', provider: 'aws' });
    },
  );

  it('asks STS about a 403 without a readable code: valid credentials mean ACCESS_DENIED', async () => {
    const aws = fakeAws({
      secretsmanager: () => [
        403,
        '<?xml version="1.0"?><ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>',
        { 'content-type': 'text/html' },
      ],
      sts: () => stsIdentity(),
    });
    const error = errorOf(await fetchOne());
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('secretsmanager:GetSecretValue');
    expect(aws.ops()).toEqual(['GetSecretValue', 'GetCallerIdentity']);
  });

  it('asks STS about a 403 without a readable code: rejected credentials mean REAUTH_REQUIRED', async () => {
    fakeAws({
      secretsmanager: () => [403, '<html>Forbidden</html>', { 'content-type': 'text/html' }],
      sts: () => stsError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
    });
    const error = errorOf(await fetchOne());
    expect(error.code).toBe('REAUTH_REQUIRED');
    expect(error.fix).toEqual({ action: 'reauth', provider: 'aws' });
  });

  it('fails expired session credentials with REAUTH_REQUIRED before any request', async () => {
    const aws = fakeAws({ secretsmanager: found });
    const session = keySession({
      accessKeyId: 'ASIAEXPIRED000000001',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date(Date.now() - 1000).toISOString(),
    });
    session.data.source.mfaSerial = 'arn:aws:iam::123456789012:mfa/alice';
    const error = errorOf(await fetchOne(createAwsProvider(), session));
    expect(error.code).toBe('REAUTH_REQUIRED');
    expect(error.fix).toEqual({ action: 'reauth', provider: 'aws' });
    expect(error.message).toMatch(/MFA sessions last as long as their STS credentials/);
    expect(aws.calls).toHaveLength(0);
  });
});

describe('cancellation', () => {
  it('fails every link with ABORTED and makes no request when the signal is already aborted', async () => {
    const aws = fakeAws({ secretsmanager: found });
    const controller = new AbortController();
    controller.abort();
    const p = createAwsProvider();
    await expect(
      readLinks(p, [p.parseLink({ arn: ARN }), p.parseLink({ arn: arnOf('other') })], keySession(), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(
      p.readDocument(p.parseLink({ arn: ARN }), keySession(), { signal: controller.signal, timeoutMs: 30_000 }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(
      p.describe(p.parseLink({ arn: ARN }), keySession(), { signal: controller.signal, timeoutMs: 30_000 }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(aws.calls).toHaveLength(0);
  });

  it('stops a request in flight when the signal aborts', async () => {
    fakeAws({ secretsmanager: () => new Promise((resolve) => setTimeout(() => resolve(found() as never), 5_000)) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(fetchOne(createAwsProvider(), keySession(), { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('describe', () => {
  it('shows ARN, role, account, region, current version and last change, never the value', async () => {
    const aws = fakeAws({
      secretsmanager: (op) =>
        op === 'DescribeSecret'
          ? [
              200,
              {
                ARN,
                Name: 'db',
                Description: 'database',
                LastChangedDate: 1_790_000_000,
                CreatedDate: 1_780_000_000,
                VersionIdsToStages: { 'old-version': ['AWSPREVIOUS'], 'cur-version': ['AWSCURRENT'] },
              },
            ]
          : found(),
    });
    const p = createAwsProvider();
    const info = await p.describe(p.parseLink({ arn: ARN, jsonKey: 'password' }), keySession(), { signal: signal(), timeoutMs: 30_000 });
    expect(info).toMatchObject({
      arn: ARN,
      name: 'db',
      role: null,
      account: '123456789012',
      region: 'us-east-1',
      versionId: 'cur-version',
      lastChangedDate: new Date(1_790_000_000_000).toISOString(),
      createdDate: new Date(1_780_000_000_000).toISOString(),
      jsonKey: 'password',
    });
    expect(JSON.stringify(info)).not.toContain(VALUE);
    expect(aws.ops()).toEqual(['DescribeSecret']);
  });

  it('names secretsmanager:DescribeSecret when describing is denied', async () => {
    fakeAws({ secretsmanager: () => smError('AccessDeniedException', 'not authorized to perform: secretsmanager:DescribeSecret') });
    const p = createAwsProvider();
    await expect(p.describe(p.parseLink({ arn: ARN }), keySession(), { signal: signal(), timeoutMs: 30_000 })).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
      message: expect.stringContaining('secretsmanager:DescribeSecret'),
    });
  });
});
