import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  await openVaultEarly(args, ctx);
  const runner = (await import('@vault/runner')) as Partial<RunnerCommands>;
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

/**
 * Starts opening the vault before newman and postman-runtime load, and waits until the key
 * derivation (scrypt) runs in libuv's thread pool: their loading is synchronous and would
 * otherwise hold back the file reads before it, so the two now overlap. With the agent (or
 * VAULTLINK_KEY, or the keychain) there is no KDF and this returns once the vault is open.
 * Only when nothing will be asked (a prompt must not come before the runner checked its
 * options) and not for help. A failure waits for the runner to ask for the vault.
 */
async function openVaultEarly(args: readonly string[], ctx: CliContext): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) return;
  const keyAtHand = Boolean(ctx.env.VAULTLINK_PASSPHRASE || ctx.env.VAULTLINK_KEY);
  if (ctx.io.interactive && !keyAtHand) return;
  const kdfRunning = new Promise<void>((resolve) => (ctx.onKeyDerivation = resolve));
  const opened = ctx.vault().then(
    () => undefined,
    () => undefined,
  );
  await Promise.race([kdfRunning, opened]);
  // Node 20's realpathSync trusts the file type of the process's last stat, and stops following
  // symlinks when that was a FIFO or socket; with the vault opening in flight, the runner was
  // then loaded through its pnpm symlink and newman could not find lodash (seen, not every time).
  // A stat of a regular file first keeps module resolution on real paths.
  statSync(fileURLToPath(import.meta.url));
}

/** The entry points the CLI needs; an older @vault/runner may lack one. */
type RunnerCommands = Pick<typeof import('@vault/runner'), 'runCommand' | 'importCommand'>;
