import type { Command } from 'commander';
import { VaultError } from '@vault/core';
import type { CommandContext } from '@vault/runner';
import type { CliContext } from '../context.js';
import { exitCodeOf, reportError } from '../errors.js';
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
  const runner: Partial<RunnerCommands> = await import('@vault/runner');
  const entry = command === 'run' ? runner.runCommand : runner.importCommand;
  if (typeof entry !== 'function') {
    throw new VaultError('INTERNAL', `The installed @vault/runner has no ${command === 'run' ? 'runCommand' : 'importCommand'} export.`, {
      fix: 'install matching versions of vaultlink and @vault/runner',
    });
  }
  const context: CommandContext = {
    openVault: (options) => ctx.vault(options),
    // Fixes are data; the runner's messages say them the CLI's way (`vaultlink reauth aws`).
    renderFix,
    // `import` exits with the CLI's codes; `run` keeps newman's (0 passed, 1 anything else).
    exitCodeFor: exitCodeOf,
    env: ctx.env,
    stdout: ctx.streams.stdout,
    stderr: ctx.streams.stderr,
    // An error that stops the command is printed like every other command's (colours, --json).
    printError: (error) => void reportError(error, { streams: ctx.streams, colors: ctx.colors, json: ctx.json }),
  };
  return entry(args, context);
}

/** The entry points the CLI needs; an older @vault/runner may lack one. */
type RunnerCommands = Pick<typeof import('@vault/runner'), 'runCommand' | 'importCommand'>;
