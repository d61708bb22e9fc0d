/**
 * @vault/runner: run Postman collections with vaultlink secrets on newman and
 * postman-runtime (pm.vault, allowed domains, masking of every output).
 */
export { run } from './run.js';
export type { RunOptions, NewmanRunOptions, VaultRunOptions, RunSummary, VaultRunReport } from './run.js';
export { runCommand } from './cli/run-command.js';
export { importCommand } from './cli/import-command.js';
export type { CommandContext } from './cli/command-context.js';
export { importPostmanEnvironment } from './import/postman-environment.js';
export type { ImportEnvironmentOptions, ImportResult } from './import/postman-environment.js';
export type { UnresolvedReference } from './resolve/resolve-references.js';
export type { RunMessages, MessageStream } from './messages.js';
export { streamMessages } from './messages.js';
