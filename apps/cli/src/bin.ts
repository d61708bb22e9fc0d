#!/usr/bin/env node
import { fastGet } from './fast-get.js';
import { quietSdkNodeWarnings } from './node-policy.js';

// `get NAME` served by a running agent skips loading the CLI; everything else loads it.
// This launcher is built as CommonJS (Node loads it faster than an ES module); the CLI itself
// is the ES module build, imported by URL so the bundler leaves that import alone.
const argv = process.argv.slice(2);
fastGet(argv)
  .catch(() => undefined)
  .then(async (code) => {
    if (code !== undefined) return code;
    // Only the full path can load a provider SDK in this process (the lean path asks the agent).
    quietSdkNodeWarnings();
    const cli = (await import(new URL('./index.js', import.meta.url).href)) as typeof import('./index.js');
    return cli.main(argv);
  })
  .then(
    (code) => exitAfterFlush(code),
    (error: unknown) => {
      process.stderr.write(`vaultlink: ${error instanceof Error ? error.message : String(error)}\n`);
      exitAfterFlush(1);
    },
  );

// Exit once both streams are flushed: SDK keep-alive sockets or a browser launcher must not
// keep a finished command alive, and piped output must not be cut off.
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
