import type { VaultError } from '@vault/core';

/** The agent's own "locked" answer: nothing was done, and unlocking then asking again is safe. */
export function isLockedByAgent(error: unknown): error is VaultError {
  const e = error as { name?: unknown; code?: unknown; details?: { agent?: unknown } } | undefined;
  return e?.name === 'VaultError' && e.code === 'VAULT_LOCKED' && e.details?.agent === true;
}
