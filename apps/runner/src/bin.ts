#!/usr/bin/env node
/** `vaultlink-run`: the runner on its own, with newman's flags (same as `vaultlink run`). */
import { runCommand } from './cli/run-command.js';

runCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`vaultlink-run: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
