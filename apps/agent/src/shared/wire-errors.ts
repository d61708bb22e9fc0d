/**
 * Errors as data on the wire: a VaultError travels as its `toJSON()` and is rebuilt with
 * `VaultError.fromJSON()`, so every field (the structured `fix`, issues, details) survives and
 * the client renders it exactly as an error thrown in its own process. Anything else only
 * says that it failed: its message may quote request or response data.
 */
import type { VaultError, VaultErrorJSON } from '@vault/core';
import type { SerializedError } from './protocol.js';

/** The parts of @vault/core errors are built with. */
export type CoreErrors = Pick<typeof import('@vault/core/provider'), 'VaultError' | 'ERROR_CODES'>;

let given: CoreErrors | undefined;

/**
 * Builds errors with the caller's copy of @vault/core, so its `instanceof VaultError` holds
 * (a symlinked workspace can otherwise load a second copy). Without it, core's smallest entry with
 * the error class is imported here (`@vault/core/provider`: no engine, no store; the class is the
 * one `@vault/core` exports).
 */
export function useCore(core: CoreErrors): void {
  given = core;
}

export async function coreErrors(): Promise<CoreErrors> {
  return given ?? (await import('@vault/core/provider'));
}

function isVaultErrorLike(error: unknown): error is VaultError {
  return error instanceof Error && error.name === 'VaultError' && typeof (error as { toJSON?: unknown }).toJSON === 'function';
}

/** `unexpected` is the message for an error that is not a VaultError. */
export function serializeError(error: unknown, unexpected: string): VaultErrorJSON {
  if (isVaultErrorLike(error)) return error.toJSON();
  return {
    name: 'VaultError',
    code: 'INTERNAL',
    message: unexpected,
    issues: [],
    fix: {
      action: 'report',
      package: '@vault/agent',
      hint: 'if it happens again; the agent log (`vaultlink agent status` shows where) has the error code',
    },
    details: {},
  };
}

/**
 * A VaultError rebuilt from the agent's JSON. A code this side does not know (a newer agent)
 * becomes INTERNAL with the code named in the message; the rest is kept as sent.
 */
export async function fromSerialized(serialized: SerializedError): Promise<VaultError> {
  const { VaultError, ERROR_CODES } = await coreErrors();
  const known = (ERROR_CODES as readonly string[]).includes(serialized.code);
  return VaultError.fromJSON(
    known ? serialized : { ...serialized, code: 'INTERNAL', message: `${serialized.message} (agent error code ${serialized.code})` },
  );
}
