/**
 * The one place where Vault, HTTP and network failures become VaultErrors.
 * Messages name the path and the fix; they never carry a token or a value, and the raw
 * HTTP error is never kept as `cause` (its request config holds the X-Vault-Token header).
 */
import { VaultError, isTlsErrorCode, isVaultError, type ErrorCode } from '@vault/core/provider';
import type { VaultConnection } from './client.js';
import { PROVIDER_ID, REAUTH_FIX } from './options.js';

/** What we know about a failed call, whatever layer it came from. */
export interface CallFailure {
  /** HTTP status, when Vault (or a proxy) answered. */
  status?: number;
  /** Vault's `errors` array (never holds secret values). */
  errors: string[];
  /** Vault's `warnings` array. */
  warnings: string[];
  /** The response body, for callers that inspect it (e.g. KV v2 deletion metadata). */
  body?: unknown;
  /** Node / axios error code: ECONNREFUSED, ERR_CANCELED, ECONNABORTED, ... */
  code?: string;
  /** Low-level message for network failures (e.g. `connect ECONNREFUSED 127.0.0.1:8200`). */
  message?: string;
}

/** Reads a node-vault ApiResponseError (`response.statusCode/body`) or an axios/network error. */
export function describeFailure(error: unknown): CallFailure {
  const e = error as {
    response?: { statusCode?: number; status?: number; body?: unknown; data?: unknown };
    code?: unknown;
    message?: unknown;
    name?: unknown;
  };
  const status = e?.response?.statusCode ?? e?.response?.status;
  const body = e?.response?.body ?? e?.response?.data;
  const b = (typeof body === 'object' && body !== null ? body : {}) as { errors?: unknown; warnings?: unknown };
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map(cleanVaultMessage) : [];
  return {
    ...(typeof status === 'number' ? { status } : {}),
    errors: strings(b.errors),
    warnings: strings(b.warnings),
    ...(body !== undefined ? { body } : {}),
    ...(typeof e?.code === 'string' ? { code: e.code } : e?.name === 'CanceledError' ? { code: 'ERR_CANCELED' } : {}),
    ...(status === undefined && typeof e?.message === 'string' ? { message: e.message } : {}),
  };
}

/** Vault wraps messages as "1 error occurred:\n\t* permission denied\n\n"; keep the text. */
function cleanVaultMessage(message: string): string {
  const items = message.match(/^\s*\*\s*(.+)$/gm);
  if (/^\d+ errors? occurred:/.test(message) && items) return items.map((i) => i.replace(/^\s*\*\s*/, '').trim()).join('; ');
  return message.trim();
}

export const isStatus = (error: unknown, status: number): boolean => describeFailure(error).status === status;

export interface ErrorContext {
  /** What we were doing, for the message: `read secret/data/app`. */
  action: string;
  /** The Vault API path involved (without /v1), for ACCESS_DENIED. */
  path?: string;
  /** The ACL capability the call needs: read, update, create, sudo. */
  capability?: string;
  vaultAddr?: string;
  namespace?: string;
  signal?: AbortSignal;
  /** For 403: the caller already established whether the token itself is still valid. */
  tokenValid?: boolean;
  /** Fix for ACCESS_DENIED, when the caller knows better than the generic one. */
  deniedFix?: string;
  /** Code for a 404 (NOT_FOUND by default). */
  notFoundCode?: ErrorCode;
  notFoundMessage?: string;
}

/** The Vault a call went to, for messages: `https://vault:8200 (namespace team-a)`. */
export function where(target: { vaultAddr?: string; namespace?: string }): string {
  return `${target.vaultAddr ?? 'Vault'}${target.namespace ? ` (namespace ${target.namespace})` : ''}`;
}

/** The ErrorContext fields naming the Vault (and namespace) of a connection. */
export function targetOf(connection: VaultConnection): Pick<ErrorContext, 'vaultAddr' | 'namespace'> {
  return { vaultAddr: connection.vaultAddr, ...(connection.namespace ? { namespace: connection.namespace } : {}) };
}

function detailsOf(ctx: ErrorContext, failure: CallFailure): Record<string, unknown> {
  return {
    ...(ctx.path ? { path: ctx.path } : {}),
    ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
    ...(failure.status !== undefined ? { status: failure.status } : {}),
    ...(failure.code ? { code: failure.code } : {}),
  };
}

/** Maps any failure of a Vault call to a VaultError. VaultErrors pass through unchanged. */
export function toVaultError(error: unknown, ctx: ErrorContext): VaultError {
  if (isVaultError(error)) return error;
  const failure = describeFailure(error);
  const details = detailsOf(ctx, failure);
  const opts = { provider: PROVIDER_ID, details };
  const vaultSays = failure.errors.length ? `: ${failure.errors.join('; ')}` : '';

  if (ctx.signal?.aborted || failure.code === 'ERR_CANCELED') {
    return new VaultError('ABORTED', `Cancelled while trying to ${ctx.action}.`, opts);
  }
  if (failure.status === undefined) {
    if (failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT') {
      // Like the other providers: a vault that does not answer is unavailable (exit 5), with the timeout in details.
      return new VaultError('PROVIDER_UNAVAILABLE', `${where(ctx)} did not answer in time while trying to ${ctx.action}.`, {
        ...opts,
        details: { ...details, timedOut: true },
        fix: { action: 'retry', hint: 'check that Vault is reachable from this computer' },
      });
    }
    if (isTlsErrorCode(failure.code)) {
      return new VaultError('PROVIDER_UNAVAILABLE', `The TLS certificate of ${where(ctx)} could not be verified (${failure.code}).`, {
        ...opts,
        fix: 'point VAULT_CACERT (or --ca-cert) at the PEM file of the CA that signed the Vault certificate',
      });
    }
    return new VaultError(
      'PROVIDER_UNAVAILABLE',
      `Could not reach ${where(ctx)} to ${ctx.action}${failure.code ? ` (${failure.code})` : ''}.`,
      {
        ...opts,
        fix: 'check the Vault address and that Vault is reachable from this computer, then try again',
      },
    );
  }

  switch (failure.status) {
    case 400:
      return new VaultError('INVALID_INPUT', `Vault rejected the request to ${ctx.action}${vaultSays}.`, opts);
    case 401:
      return reauthRequired(ctx, details);
    case 403:
      if (ctx.tokenValid === false) return reauthRequired(ctx, details);
      return new VaultError('ACCESS_DENIED', `Vault denied "${ctx.capability ?? 'read'}" on ${ctx.path ?? 'the path'} at ${where(ctx)}.`, {
        ...opts,
        details: { ...details, capability: ctx.capability ?? 'read' },
        fix:
          ctx.deniedFix ??
          `ask your Vault admin to grant the "${ctx.capability ?? 'read'}" capability on ${ctx.path ?? 'this path'} to your policy`,
      });
    case 404:
      return new VaultError(
        ctx.notFoundCode ?? 'NOT_FOUND',
        ctx.notFoundMessage ?? `Nothing found at ${ctx.path ?? 'the path'} in ${where(ctx)}${vaultSays}.`,
        opts,
      );
    case 405:
      return new VaultError('UNSUPPORTED_ENGINE', `${ctx.path ?? 'The path'} does not support this operation${vaultSays}.`, opts);
    case 429:
      return new VaultError('THROTTLED', `${where(ctx)} is rate-limiting requests (429) while trying to ${ctx.action}.`, {
        ...opts,
        fix: 'wait a little and try again',
      });
    default:
      if (failure.status >= 500) {
        const sealed = failure.errors.some((m) => /sealed/i.test(m));
        const standby = failure.errors.some((m) => /standby/i.test(m));
        const what = sealed ? 'is sealed' : standby ? 'is a standby node that cannot serve the request' : `answered ${failure.status}`;
        return new VaultError(
          'PROVIDER_UNAVAILABLE',
          `${where(ctx)} ${what} (still after retrying) while trying to ${ctx.action}${sealed || standby ? '' : vaultSays}.`,
          {
            ...opts,
            fix: sealed
              ? 'ask your Vault operator to unseal Vault, then try again'
              : 'try again later, or ask your Vault operator to check the cluster',
          },
        );
      }
      return new VaultError(
        'INTERNAL',
        `Unexpected answer ${failure.status} from ${where(ctx)} while trying to ${ctx.action}${vaultSays}.`,
        opts,
      );
  }
}

function reauthRequired(ctx: ErrorContext, details: Record<string, unknown>): VaultError {
  return new VaultError('REAUTH_REQUIRED', `Your Vault token for ${where(ctx)} is no longer valid (expired or revoked).`, {
    provider: PROVIDER_ID,
    details,
    fix: REAUTH_FIX,
  });
}
