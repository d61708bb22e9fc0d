#!/usr/bin/env node
/** `vaultlink-run`: the runner on its own, with newman's flags (same as `vaultlink run`). */
import { VaultError } from '@vault/core';
import { asPrintableError, printVaultError } from './cli/print-error.js';
import { runCommand } from './cli/run-command.js';
import { maskWithActive } from './masking/output-capture.js';

// A crash inside a reporter or the engine must not print internal state: only a masked message, never a stack.
process.on('uncaughtException', (error: unknown) => {
  const message = maskWithActive(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  printVaultError(
    new VaultError('INTERNAL', `The run crashed: ${message.slice(0, 500)}`, {
      fix: 'run again with VAULTLINK_DEBUG=1 for the stack trace and report it',
    }),
    process.stderr,
  );
  if (process.env['VAULTLINK_DEBUG'] && error instanceof Error && error.stack) process.stderr.write(`${maskWithActive(error.stack)}\n`);
  process.exit(1);
});

runCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    printVaultError(asPrintableError(error), process.stderr);
    process.exitCode = 1;
  },
);
