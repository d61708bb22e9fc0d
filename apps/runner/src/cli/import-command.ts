/**
 * `vaultlink import postman-environment FILE [--keys K1,K2] [--prefix P] [--overwrite]`.
 * `argv` is what follows `import`. Exit codes are the host's (`exitCodeFor`; the vaultlink
 * CLI: 2 bad input, 3 auth/locked vault, 4 vault missing, 1 anything else); with no host,
 * 0 done, 2 bad input, 1 anything else.
 */
import { Command, CommanderError } from 'commander';
import { isVaultError, openVault, VaultError } from '@vault/core';
import { printVaultError } from './print-error.js';
import { importPostmanEnvironment } from '../import/postman-environment.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CommandContext } from './command-context.js';
import { commaList } from './parse-values.js';

export async function importCommand(argv: string[], context: CommandContext = {}): Promise<number> {
  const stdout = context.stdout ?? process.stdout;
  const stderr = context.stderr ?? process.stderr;
  let exitCode: number | undefined;
  const program = new Command('vaultlink import')
    .description("Move secrets from other tools' files into the local vault.")
    .exitOverride()
    .configureOutput({ writeOut: (text) => void stdout.write(text), writeErr: (text) => void stderr.write(text) });
  program
    .command('postman-environment')
    .description("Move an environment's secret-type variables into the local vault and rewrite the file with {{vault:NAME}} references.")
    .argument('<file>', 'Postman environment JSON file (rewritten in place, atomically)')
    .option('--keys <keys>', 'comma-separated variable keys to move instead of the secret-type ones', commaList)
    .option('--prefix <prefix>', 'prefix for the vault secret names', '')
    .option('--overwrite', 'replace existing local secrets that have a different value')
    .exitOverride()
    .action(async (file: string, flags: { keys?: string[]; prefix: string; overwrite?: boolean }) => {
      const vault = context.openVault ? await context.openVault() : await openVault({ env: { ...(context.env ?? process.env) } });
      const result = await importPostmanEnvironment({
        file,
        vault,
        keys: flags.keys,
        prefix: flags.prefix,
        overwrite: flags.overwrite,
        env: context.env ?? process.env,
      });
      for (const skipped of result.skipped) stderr.write(`vaultlink: skipped "${skipped.key}": it ${skipped.reason}\n`);
      if (result.moved.length === 0) {
        stderr.write(
          `vaultlink: nothing to import from ${file}${flags.keys ? '' : ' (no secret-type variables; name them with --keys)'}\n`,
        );
      } else {
        const list = result.moved.map(({ key, name }) => (key === name ? key : `${key} → ${name}`)).join(', ');
        stdout.write(
          `Moved ${result.moved.length} variable${result.moved.length === 1 ? '' : 's'} into the local vault: ${list}\nRewrote ${file} with {{vault:NAME}} references.\n`,
        );
      }
      exitCode = EXIT_OK;
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (exitCode === undefined) {
      program.outputHelp({ error: true });
      return usageExitCode('a command (postman-environment FILE)', context);
    }
    return exitCode;
  } catch (error) {
    // commander printed its own message; the exit code is the host's for bad input.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : usageExitCode(error.message, context);
    if (!isVaultError(error)) throw error;
    if (context.printError) context.printError(error);
    else printVaultError(error, stderr, context.renderFix);
    return exitCodeOf(error, context);
  }
}

function exitCodeOf(error: VaultError, context: CommandContext): number {
  return context.exitCodeFor?.(error) ?? (error.code.startsWith('INVALID_') ? EXIT_USAGE : EXIT_FAILED);
}

/** Bad usage exits as the host exits for INVALID_INPUT (the vaultlink CLI: 2). */
function usageExitCode(problem: string, context: CommandContext): number {
  return exitCodeOf(new VaultError('INVALID_INPUT', `vaultlink import: ${problem.replace(/^error: /, '')}`), context);
}
