/**
 * `vaultlink` programmatic entry: `main(argv, streams?)` runs the CLI in-process and
 * returns the exit code. The executable is dist/bin.cjs.
 */
export { main, VERSION } from './main.js';
export type { CliStreams } from './streams.js';
