#!/usr/bin/env node
/** `vaultlink-run`: the runner on its own, with newman's flags (same as `vaultlink run`). */
import { asPrintableError, printVaultError } from './cli/print-error.js';
import { runCommand } from './cli/run-command.js';

runCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    printVaultError(asPrintableError(error), process.stderr);
    process.exitCode = 1;
  },
);
