/** The CLI's process exit codes, by error code. Documented in apps/cli/README.md. */
import type { ErrorCode } from '@vault/core';

export const EXIT_CODES = {
  usage: 2,
  auth: 3,
  notFound: 4,
  unavailable: 5,
  other: 1,
} as const;

const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_REFERENCE: EXIT_CODES.usage,
  INVALID_LINK: EXIT_CODES.usage,
  INVALID_INPUT: EXIT_CODES.usage,
  INVALID_CONFIG: EXIT_CODES.usage,
  UNSUPPORTED_ENGINE: EXIT_CODES.usage,
  ALREADY_CONNECTED: EXIT_CODES.usage,
  PROVIDER_NOT_INSTALLED: EXIT_CODES.usage,
  PROVIDER_INVALID: EXIT_CODES.usage,
  ACCESS_DENIED: EXIT_CODES.auth,
  REAUTH_REQUIRED: EXIT_CODES.auth,
  AUTH_FAILED: EXIT_CODES.auth,
  NOT_CONNECTED: EXIT_CODES.auth,
  ADMIN_REQUIRED: EXIT_CODES.auth,
  VAULT_LOCKED: EXIT_CODES.auth,
  BAD_PASSPHRASE: EXIT_CODES.auth,
  DOMAIN_NOT_ALLOWED: EXIT_CODES.auth,
  NOT_FOUND: EXIT_CODES.notFound,
  KEY_NOT_FOUND: EXIT_CODES.notFound,
  SECRET_DISABLED: EXIT_CODES.notFound,
  UNRESOLVED: EXIT_CODES.notFound,
  VAULT_NOT_INITIALIZED: EXIT_CODES.notFound,
  UNSUPPORTED_VALUE: EXIT_CODES.notFound,
  PROVIDER_UNAVAILABLE: EXIT_CODES.unavailable,
  THROTTLED: EXIT_CODES.unavailable,
  TIMEOUT: EXIT_CODES.unavailable,
  AGENT_UNAVAILABLE: EXIT_CODES.unavailable,
};

/** 2 usage, 3 auth, 4 not found/unresolved, 5 unavailable, 1 other. */
export function exitCodeFor(code: ErrorCode): number {
  return EXIT_BY_CODE[code] ?? EXIT_CODES.other;
}
