/**
 * How `vaultlink-run` prints an error when no host prints it (the vaultlink CLI passes its own
 * printer, with colours and `--json`): the code, the message, and the `Fix:` line, said with
 * the host's `renderFix` when there is one, else in plain words (messages.ts `describeFix`).
 */
import { VaultError, isVaultError, type Fix } from '@vault/core';
import { errorText, type MessageStream } from '../messages.js';

export function printVaultError(error: VaultError, stream: MessageStream, renderFix?: (fix: Fix) => string): void {
  stream.write(`error [${error.code}] ${errorText(error, renderFix)}\n`);
}

/** Anything a command threw: VaultErrors as they are, the rest as INTERNAL (its message only). */
export function asPrintableError(error: unknown): VaultError {
  if (isVaultError(error)) return error;
  return new VaultError('INTERNAL', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`, {
    fix: 'run again with VAULTLINK_DEBUG=1 for the stack trace and report it',
  });
}
