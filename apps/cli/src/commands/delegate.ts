import type { Command } from 'commander';
import { VaultError, type Fix, type VaultApi } from '@vault/core';
import type { CliContext } from '../context.js';
import { exitCodeOf } from '../errors.js';
import { renderFix } from '../fix-text.js';

/**
 * `run` and `import` belong to @vault/runner. main() hands their argv over before commander
 * parses anything (the runner has its own newman-style flags); these entries only make them
 * show up in `vaultlink --help`.
 */
export function registerDelegated(program: Command): void {
  program
    .command('run')
    .description('run a Postman collection with vault secrets (newman-style flags; see `vaultlink run --help`)')
    .allowUnknownOption()
    .argument('[args...]');
  program
    .command('import')
    .description('move secrets from a Postman environment into the vault (see `vaultlink import --help`)')
    .allowUnknownOption()
    .argument('[args...]');
}

export const DELEGATED_COMMANDS = new Set(['run', 'import']);

/**
 * Runs `vaultlink run|import ...` through @vault/runner (loaded only for these commands). The
 * runner gets this CLI's streams, environment and vault opener (which prompts for the
 * passphrase on a terminal), so both behave as one program.
 */
export async function runDelegated(command: string, args: string[], ctx: CliContext): Promise<number> {
  const runner = (await import('@vault/runner')) as Partial<RunnerCommands>;
  const entry = command === 'run' ? runner.runCommand : runner.importCommand;
  if (typeof entry !== 'function') {
    throw new VaultError('INTERNAL', `The installed @vault/runner has no ${command === 'run' ? 'runCommand' : 'importCommand'} export.`, {
      fix: 'install matching versions of vaultlink and @vault/runner',
    });
  }
  return entry(args, {
    openVault: (options) => ctx.vault(options),
    renderFix,
    exitCodeFor: exitCodeOf,
    env: ctx.env,
    stdout: ctx.streams.stdout,
    stderr: ctx.streams.stderr,
  });
}

/** The part of @vault/runner's CommandContext the CLI provides. */
interface RunnerContext {
  openVault: (options?: { concurrency?: number }) => Promise<VaultApi>;
  renderFix: (fix: Fix) => string;
  exitCodeFor: (error: VaultError) => number;
  env: Readonly<Record<string, string | undefined>>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

interface RunnerCommands {
  runCommand(argv: string[], context?: RunnerContext): Promise<number>;
  importCommand(argv: string[], context?: RunnerContext): Promise<number>;
}
