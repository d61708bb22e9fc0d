/**
 * How `vaultlink-run` prints an error when no host renders it (the vaultlink CLI passes its
 * own renderer, with colours and `--json`): the code, the message, and the `Fix:` line that
 * every VaultError carries, in the CLI's plain-text form.
 */
import { VaultError, isVaultError } from '@vault/core';
import type { MessageStream } from '../messages.js';

export function printVaultError(error: VaultError, stream: MessageStream): void {
  const [first = '', ...rest] = error.message.split('\n');
  stream.write(`error [${error.code}] ${first}\n${rest.map((line) => `${line}\n`).join('')}`);
}

/** Anything a command threw: VaultErrors as they are, the rest as INTERNAL (its message only). */
export function asPrintableError(error: unknown): VaultError {
  if (isVaultError(error)) return error;
  return new VaultError('INTERNAL', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`, {
    fix: 'run again with VAULTLINK_DEBUG=1 for the stack trace and report it',
  });
}
