/**
 * The one place AWS SDK errors become VaultErrors. Auth failures never become NOT_FOUND;
 * messages name the missing permission or the command that fixes things, never a value.
 */
import { VaultError, transportFault, type ErrorCode, type Fix, type TransportFault } from '@vault/core/provider';
import { CONNECT_FIX, PROVIDER_ID, REAUTH_FIX } from './options.js';

export type AwsOperation =
  'GetSecretValue' | 'BatchGetSecretValue' | 'DescribeSecret' | 'AssumeRole' | 'GetCallerIdentity' | 'GetSessionToken' | 'LoadCredentials';

export interface ErrorContext {
  operation: AwsOperation;
  /** `connect` while signing in (bad keys → AUTH_FAILED); `use` with a stored session (→ REAUTH_REQUIRED). */
  phase: 'connect' | 'use';
  secretArn?: string;
  roleArn?: string;
  /** Per-request timeout in ms, for the message. */
  timeoutMs?: number;
}

const NOT_FOUND = new Set(['ResourceNotFoundException', 'SecretNotFoundException', 'NoSuchEntity']);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'AuthorizationError', 'UnauthorizedOperation']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidToken',
  'AuthFailure',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
]);
/** AWS SDK names for requests that got no answer (node-http-handler, older SDKs). */
const NETWORK_NAMES = new Set(['NetworkingError', 'RequestTimeout']);

interface AwsErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** The permission an AccessDenied on this operation is about. */
export function permissionFor(operation: AwsOperation): string {
  switch (operation) {
    case 'AssumeRole':
      return 'sts:AssumeRole';
    case 'DescribeSecret':
      return 'secretsmanager:DescribeSecret';
    case 'GetSessionToken':
      return 'sts:GetSessionToken';
    case 'BatchGetSecretValue':
    case 'GetSecretValue':
      return 'secretsmanager:GetSecretValue';
    default:
      return `sts:${operation}`;
  }
}

function subject(context: ErrorContext): string {
  if (context.operation === 'AssumeRole') return context.roleArn ? `role ${context.roleArn}` : 'the role';
  return context.secretArn ? `secret ${context.secretArn}` : 'AWS';
}

function baseDetails(error: AwsErrorLike, context: ErrorContext): Record<string, unknown> {
  return {
    operation: context.operation,
    ...(error.name ? { awsError: error.name } : {}),
    ...(error.$metadata?.httpStatusCode ? { httpStatus: error.$metadata.httpStatusCode } : {}),
    ...(error.$metadata?.requestId ? { requestId: error.$metadata.requestId } : {}),
    ...(context.secretArn ? { arn: context.secretArn } : {}),
    ...(context.roleArn ? { roleArn: context.roleArn } : {}),
  };
}

/**
 * One line of AWS's own error text. Only service errors are quoted: a parser error
 * (SyntaxError) quotes the response body it choked on, which could be a secret.
 */
function awsReason(error: AwsErrorLike): string {
  if (error.name === 'SyntaxError' || (error.$fault === undefined && error.$metadata !== undefined)) return '';
  const text = (error.message ?? '').split('\n')[0]!.trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function make(
  code: ErrorCode,
  message: string,
  error: unknown,
  context: ErrorContext,
  fix?: Fix | string,
  extra: Record<string, unknown> = {},
): VaultError {
  const like = (error ?? {}) as AwsErrorLike;
  return new VaultError(code, message, {
    provider: PROVIDER_ID,
    ...(fix ? { fix } : {}),
    details: { ...baseDetails(like, context), ...extra },
    // A parser error's message quotes the body it could not read; keep it out of the chain.
    ...(like.name === 'SyntaxError' ? {} : { cause: error }),
  });
}

/** Maps an error name/code reported by AWS (thrown, or an entry of BatchGetSecretValue `Errors`). */
function byName(name: string, error: AwsErrorLike, context: ErrorContext, cause: unknown): VaultError | undefined {
  const reason = awsReason(error);
  const said = reason ? ` AWS said: ${reason}` : '';
  if (NOT_FOUND.has(name)) {
    return make('NOT_FOUND', `AWS Secrets Manager has no ${subject(context)} (or it has no AWSCURRENT version).`, cause, context, {
      action: 'relink',
      provider: PROVIDER_ID,
      flags: { arn: 'ARN' },
      hint: 'check the ARN in the Secrets Manager console',
    });
  }
  if (ACCESS_DENIED.has(name) || name === 'DecryptionFailure' || name === 'KMSAccessDeniedException') {
    const kms = name === 'DecryptionFailure' || /\bkms\b/i.test(reason);
    const permission = kms ? 'kms:Decrypt' : permissionFor(context.operation);
    const resource = context.operation === 'AssumeRole' ? context.roleArn : context.secretArn;
    const on =
      context.operation === 'AssumeRole'
        ? ` on ${subject(context)} (its trust policy must also allow you)`
        : resource
          ? ` on ${subject(context)}`
          : '';
    return make(
      'ACCESS_DENIED',
      `AWS denied ${permission}${on}.${said}`,
      cause,
      context,
      `ask your AWS administrator to allow ${permission}${resource ? ` on ${resource}` : ''} (see the IAM policy in the @vault/provider-aws README)`,
      { permission },
    );
  }
  if (EXPIRED.has(name) || INVALID_CREDENTIALS.has(name)) {
    const expired = EXPIRED.has(name);
    if (context.phase === 'connect') {
      return make('AUTH_FAILED', `AWS rejected these credentials (${name}).${said}`, cause, context, {
        ...CONNECT_FIX,
        hint: expired ? 'with fresh temporary credentials' : 'after checking the access key ID and secret access key',
      });
    }
    return make(
      'REAUTH_REQUIRED',
      `The AWS session is ${expired ? 'expired' : 'no longer accepted'} (${name}).`,
      cause,
      context,
      REAUTH_FIX,
    );
  }
  if (THROTTLED.has(name)) {
    return make(
      'THROTTLED',
      `AWS is throttling ${context.operation} requests; retries with backoff did not get through.`,
      cause,
      context,
      'wait a little and try again, or fetch fewer secrets at once',
    );
  }
  if (name === 'InvalidRequestException' && /deleted|deletion/i.test(reason)) {
    return make(
      'SECRET_DISABLED',
      `${subject(context)} is scheduled for deletion.`,
      cause,
      context,
      'restore it with `aws secretsmanager restore-secret`, or link another secret',
    );
  }
  return undefined;
}

/** Core's transport faults, plus what only the AWS SDK's names and messages say. */
function networkFault(error: AwsErrorLike): TransportFault | undefined {
  const fault = transportFault(error);
  if (fault) return fault;
  if (NETWORK_NAMES.has(error.name ?? '') || /socket hang up|getaddrinfo|connect ECONNREFUSED/i.test(error.message ?? ''))
    return { kind: 'network' };
  return undefined;
}

/** Maps anything thrown while talking to AWS. */
export function toVaultError(error: unknown, context: ErrorContext): VaultError {
  if (error instanceof VaultError) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as AwsErrorLike;

  if (e.name === 'AbortError' || e.code === 'ABORT_ERR')
    return make('ABORTED', `The ${context.operation} call was cancelled.`, error, context);
  const named = e.name ? byName(e.name, e, context, error) : undefined;
  if (named) return named;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return byName('ThrottlingException', e, context, error)!;

  const fault = networkFault(e);
  if (fault) {
    const timedOut = fault.kind === 'timeout';
    return make(
      'PROVIDER_UNAVAILABLE',
      timedOut
        ? `AWS did not answer ${context.operation} within ${context.timeoutMs ?? 'the'} ms.`
        : `Cannot reach AWS for ${context.operation} (${e.code ?? fault.code ?? e.name ?? 'network error'}).`,
      error,
      context,
      'check the network, proxy and any AWS_ENDPOINT_URL setting, then retry',
      { timedOut },
    );
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return make(
      'PROVIDER_UNAVAILABLE',
      `AWS failed to answer ${context.operation} (${e.name ?? 'server error'}${status ? `, HTTP ${status}` : ''}).`,
      error,
      context,
      'retry later',
    );
  }
  if (context.operation === 'LoadCredentials') {
    return make('AUTH_FAILED', `The AWS SDK could not load credentials: ${awsReason(e)}`, error, context, {
      ...CONNECT_FIX,
      hint: 'after checking the profile or environment',
    });
  }
  const reason = awsReason(e);
  if (status === 401 || status === 403) {
    // An error body the SDK could not read (moto sends XML to JSON services; proxies send HTML).
    // diagnose.ts works out whether the credentials or the permission is the problem.
    return make('INTERNAL', `AWS refused ${context.operation} (HTTP ${status}) without a readable error code.`, error, context, undefined, {
      unexplainedForbidden: true,
    });
  }
  return make(
    'INTERNAL',
    `AWS answered ${context.operation} with ${e.name ?? 'an unexpected error'}${status ? ` (HTTP ${status})` : ''}${reason ? `: ${reason}` : ''}.`,
    error,
    context,
  );
}

/** A 401/403 whose error code could not be read: the caller should diagnose it. */
export function isUnexplainedForbidden(error: VaultError): boolean {
  return error.code === 'INTERNAL' && error.details.unexplainedForbidden === true;
}

/** ACCESS_DENIED for a refusal that diagnose.ts traced to permissions (the credentials work). */
export function accessDenied(context: ErrorContext, original: VaultError): VaultError {
  const denied = byName('AccessDeniedException', {}, context, original)!;
  const { httpStatus, requestId } = original.details;
  return new VaultError('ACCESS_DENIED', denied.message.split('\n')[0]!, {
    provider: PROVIDER_ID,
    ...(denied.fix ? { fix: denied.fix } : {}),
    details: { ...denied.details, awsError: 'unreadable 403', httpStatus, requestId, diagnosedBy: 'GetCallerIdentity' },
    cause: original,
  });
}

/** Maps one entry of BatchGetSecretValue `Errors` to the error of that secret alone. */
export function batchEntryError(entry: { ErrorCode?: string; Message?: string }, secretArn: string): VaultError {
  const context: ErrorContext = { operation: 'GetSecretValue', phase: 'use', secretArn };
  const pseudo: AwsErrorLike = { name: entry.ErrorCode, message: entry.Message };
  return (
    byName(entry.ErrorCode ?? '', pseudo, context, undefined) ??
    make(
      'INTERNAL',
      `AWS could not read ${subject(context)} in a batch (${entry.ErrorCode ?? 'unknown error'}): ${awsReason(pseudo)}`,
      undefined,
      context,
    )
  );
}
