#!/usr/bin/env node
import { main } from './main.js';
import { quietSdkNodeWarnings } from './node-policy.js';

quietSdkNodeWarnings();

// Exit once both streams are flushed: SDK keep-alive sockets or a browser launcher must not
// keep a finished command alive, and piped output must not be cut off.
main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    process.stderr.write(`vaultlink: ${error instanceof Error ? error.message : String(error)}\n`);
    exitAfterFlush(1);
  },
);

function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
