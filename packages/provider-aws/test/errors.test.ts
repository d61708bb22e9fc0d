/** The error table: one mapping for every AWS answer, by phase, with fixes and without values. */
import { VaultError } from '@vault/core/provider';
import { describe, expect, it } from 'vitest';
import { batchEntryError, toVaultError, type ErrorContext } from '../src/errors.js';

const use: ErrorContext = {
  operation: 'GetSecretValue',
  phase: 'use',
  secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-abcdef',
};
const connect: ErrorContext = { operation: 'GetCallerIdentity', phase: 'connect' };
const serviceError = (name: string, status = 400, message = 'AWS message') =>
  Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-9' },
  });

describe('toVaultError', () => {
  it.each([
    ['ResourceNotFoundException', 'NOT_FOUND'],
    ['AccessDeniedException', 'ACCESS_DENIED'],
    ['AccessDenied', 'ACCESS_DENIED'],
    ['DecryptionFailure', 'ACCESS_DENIED'],
    ['ExpiredTokenException', 'REAUTH_REQUIRED'],
    ['ExpiredToken', 'REAUTH_REQUIRED'],
    ['InvalidClientTokenId', 'REAUTH_REQUIRED'],
    ['UnrecognizedClientException', 'REAUTH_REQUIRED'],
    ['SignatureDoesNotMatch', 'REAUTH_REQUIRED'],
    ['ThrottlingException', 'THROTTLED'],
    ['TooManyRequestsException', 'THROTTLED'],
    ['InternalServiceError', 'PROVIDER_UNAVAILABLE', 500],
  ] as Array<[string, string, number?]>)('maps %s during use to %s', (name, code, status) => {
    const error = toVaultError(serviceError(name, status ?? 400), use);
    expect(error).toBeInstanceOf(VaultError);
    expect(error.code).toBe(code);
    expect(error.provider).toBe('aws');
    expect(error.details).toMatchObject({ operation: 'GetSecretValue', awsError: name, requestId: 'req-9' });
    if (code === 'REAUTH_REQUIRED') expect(error.fix).toEqual({ action: 'reauth', provider: 'aws' });
    if (code === 'ACCESS_DENIED')
      expect(JSON.stringify(error.fix)).toMatch(/allow (secretsmanager:GetSecretValue|kms:Decrypt) on arn:aws:secretsmanager/);
  });

  it('makes bad or expired credentials AUTH_FAILED during connect, asking to connect again', () => {
    for (const name of ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken']) {
      const error = toVaultError(serviceError(name, 403), connect);
      expect(error.code).toBe('AUTH_FAILED');
      expect(error.fix).toMatchObject({ action: 'connect', provider: 'aws' });
    }
  });

  it('names sts:AssumeRole and the role for a denied AssumeRole', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/reader';
    const error = toVaultError(serviceError('AccessDenied', 403), { operation: 'AssumeRole', phase: 'use', roleArn });
    expect(error.message).toContain('sts:AssumeRole');
    expect(error.message).toContain(roleArn);
    expect(error.details.permission).toBe('sts:AssumeRole');
  });

  it('maps network errors and timeouts to PROVIDER_UNAVAILABLE and aborts to ABORTED', () => {
    expect(toVaultError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), use).code).toBe(
      'PROVIDER_UNAVAILABLE',
    );
    expect(toVaultError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), use).code).toBe('PROVIDER_UNAVAILABLE');
    const timeout = toVaultError(Object.assign(new Error('timed out'), { name: 'TimeoutError' }), { ...use, timeoutMs: 1500 });
    expect(timeout).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { timedOut: true } });
    expect(timeout.message).toContain('1500 ms');
    expect(toVaultError(Object.assign(new Error('aborted'), { name: 'AbortError' }), use).code).toBe('ABORTED');
  });

  it('never quotes a parser error (it would quote the response body) and keeps it out of the cause chain', () => {
    const parse = Object.assign(new SyntaxError('Unexpected token in JSON at "{"SecretString":"leaky-value'), {
      $metadata: { httpStatusCode: 200 },
    });
    const error = toVaultError(parse, use);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).not.toContain('leaky-value');
    expect(error.cause).toBeUndefined();
  });

  it('marks a 403 without a readable code for diagnosis instead of guessing', () => {
    const error = toVaultError(Object.assign(new SyntaxError('Unexpected token <'), { $metadata: { httpStatusCode: 403 } }), use);
    expect(error).toMatchObject({ code: 'INTERNAL', details: { unexplainedForbidden: true } });
  });
});

describe('batchEntryError', () => {
  it.each([
    ['ResourceNotFoundException', 'NOT_FOUND'],
    ['AccessDeniedException', 'ACCESS_DENIED'],
    ['DecryptionFailure', 'ACCESS_DENIED'],
    ['InvalidRequestException', 'SECRET_DISABLED'],
    ['InvalidParameterException', 'INTERNAL'],
  ] as const)('maps %s to %s for that secret', (errorCode, code) => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-abcdef';
    const error = batchEntryError(
      { ErrorCode: errorCode, Message: errorCode === 'InvalidRequestException' ? 'secret was marked for deletion' : 'm' },
      arn,
    );
    expect(error.code).toBe(code);
    expect(error.details.arn).toBe(arn);
  });
});
