/** Errors as data on the wire: a VaultError keeps every field of its toJSON(); anything else only says that it failed. */
import type { ErrorCode, VaultError } from '@vault/core';
import type { SerializedError } from './protocol.js';

/** The parts of @vault/core errors are built with. */
export type CoreErrors = Pick<typeof import('@vault/core'), 'VaultError' | 'ERROR_CODES'>;

let given: CoreErrors | undefined;

/**
 * Builds errors with the caller's copy of @vault/core, so its `instanceof VaultError` holds
 * (a symlinked workspace can otherwise load a second copy). Without it, core is imported here.
 */
export function useCore(core: CoreErrors): void {
  given = core;
}

export async function coreErrors(): Promise<CoreErrors> {
  return given ?? (await import('@vault/core'));
}

function isVaultErrorLike(error: unknown): error is VaultError {
  return error instanceof Error && error.name === 'VaultError' && typeof (error as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * `unexpected` is the message for an error that is not a VaultError: its own message is
 * withheld, since it may quote request or response data.
 */
export function serializeError(error: unknown, unexpected: string): SerializedError {
  if (isVaultErrorLike(error)) return { ...error.toJSON(), name: 'VaultError' } as SerializedError;
  return { name: 'VaultError', code: 'INTERNAL', message: unexpected, fix: 'run again; if it persists, see the agent log (`vaultlink agent status` shows where) and report it' };
}

/**
 * A VaultError rebuilt from the agent's JSON. Every field of toJSON() is carried over as is,
 * so fields added to VaultError later (a structured `fix`, say) survive the trip.
 */
export async function fromSerialized(serialized: SerializedError): Promise<VaultError> {
  const { VaultError, ERROR_CODES } = await coreErrors();
  const known = (ERROR_CODES as readonly string[]).includes(serialized.code);
  const error = new VaultError(known ? (serialized.code as ErrorCode) : 'INTERNAL', '');
  const { name: _name, code: _code, message, ...rest } = serialized;
  Object.defineProperty(error, 'message', { value: known ? message : `${message} (agent error code ${serialized.code})`, writable: true, configurable: true });
  Object.assign(error, rest);
  if (!Array.isArray((error as { issues?: unknown }).issues)) Object.assign(error, { issues: [] });
  if (typeof (error as { details?: unknown }).details !== 'object' || error.details === null) Object.assign(error, { details: {} });
  return error;
}
