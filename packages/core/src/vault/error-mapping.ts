/** Turns whatever a provider threw into a VaultError, and VaultErrors into unresolved reasons. */
import { ERROR_CODES, VaultError, type ErrorCode } from '../errors.js';
import { isFix, type Fix } from '../fixes.js';
import { abortedError, isAbortError } from '../cache/abort.js';
import type { UnresolvedReason } from '../vault-api.js';

/**
 * A VaultError from another copy of @vault/core (a provider with its own nested copy)
 * fails `instanceof`; it is rebuilt here so callers can rely on the class.
 */
export function toVaultError(error: unknown, providerId?: string): VaultError {
  if (error instanceof VaultError) return error;
  if (isAbortError(error)) return abortedError(error);
  if (looksLikeVaultError(error)) {
    const fix = isFix(error.fix) || typeof error.fix === 'string' ? error.fix : undefined;
    return new VaultError(error.code, typeof error.summary === 'string' ? error.summary : firstLine(error.message), {
      ...(fix ? { fix } : {}),
      issues: error.issues,
      provider: error.provider ?? providerId,
      retryAfterSeconds: error.retryAfterSeconds,
      details: error.details,
      cause: error,
    });
  }
  return new VaultError('INTERNAL', `The ${providerId ?? 'vault'} provider failed unexpectedly (${describeUnexpected(error)}).`, {
    ...(providerId ? { provider: providerId } : {}),
    fix: {
      action: 'report',
      hint: `retry; if it keeps failing, report it to the ${providerId ?? 'provider'} package with the --json output`,
    },
    cause: error,
  });
}

/**
 * What an unexpected error was, without its message: messages of parsers and SDKs can quote
 * the data they choked on (JSON.parse quotes its input), and that data may be a secret.
 * VAULTLINK_DEBUG=1 includes the message for someone debugging on their own machine.
 */
function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === 'string' ? `${error.name} ${code}` : error.name;
  if (process.env['VAULTLINK_DEBUG'] === '1') return `${kind}: ${error.message}`;
  return `${kind}; message withheld as it may quote secret data, set VAULTLINK_DEBUG=1 to see it`;
}

/** Same error with a fix added, when it had none (providers do not know our command names). */
export function withFix(error: VaultError, fix: Fix): VaultError {
  if (error.fix) return error;
  return new VaultError(error.code, error.summary, {
    fix,
    issues: error.issues,
    provider: error.provider,
    retryAfterSeconds: error.retryAfterSeconds,
    details: error.details,
    cause: error.cause ?? error,
  });
}

export function reasonForCode(code: ErrorCode): UnresolvedReason {
  switch (code) {
    case 'NOT_FOUND':
    case 'KEY_NOT_FOUND':
      return 'not-found';
    case 'ACCESS_DENIED':
      return 'denied';
    case 'REAUTH_REQUIRED':
      return 'reauth';
    case 'NOT_CONNECTED':
      return 'disconnected';
    case 'SECRET_DISABLED':
      return 'disabled';
    case 'PROVIDER_UNAVAILABLE':
    case 'THROTTLED':
    case 'TIMEOUT':
      return 'unavailable';
    case 'PROVIDER_NOT_INSTALLED':
      return 'not-installed';
    default:
      return 'error';
  }
}

interface VaultErrorLike {
  name: string;
  code: ErrorCode;
  message: string;
  summary?: unknown;
  fix?: unknown;
  issues?: VaultError['issues'];
  provider?: string;
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
}

function looksLikeVaultError(error: unknown): error is VaultErrorLike {
  if (!(error instanceof Error) || error.name !== 'VaultError') return false;
  return (ERROR_CODES as readonly string[]).includes((error as { code?: string }).code ?? '');
}

// Older copies of core put issue lines (and a "Fix:" line) into the message; the constructor adds issues again.
function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
