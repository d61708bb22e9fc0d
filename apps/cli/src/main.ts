import { Command } from 'commander';
import { canonicalProviderId, type AnyProvider } from '@vault/core';
import packageJson from '../package.json' with { type: 'json' };
import { agentMode } from './agent-mode.js';
import { colorsEnabled, createColors } from './colors.js';
import { CliContext } from './context.js';
import { reportError } from './errors.js';
import { helpFooter } from './help-footer.js';
import { prescanProvider, withCanonicalProvider } from './provider-flags.js';
import { defaultStreams, type CliStreams } from './streams.js';
import { registerAgent } from './commands/agent.js';
import { registerCache } from './commands/cache.js';
import { registerKey } from './commands/key.js';
import { registerLock } from './commands/lock.js';
import { registerConfig } from './commands/config.js';
import { DELEGATED_COMMANDS, registerDelegated, runDelegated } from './commands/delegate.js';
import { registerExec } from './commands/exec.js';
import { registerGet } from './commands/get.js';
import { registerInit } from './commands/init.js';
import { registerIntegrations } from './commands/integrations.js';
import { registerLink } from './commands/link.js';
import { registerLinks } from './commands/links.js';
import { registerList } from './commands/list.js';
import { registerManage } from './commands/manage.js';
import { registerResolve } from './commands/resolve.js';
import { registerSet } from './commands/set.js';
import { registerSetup } from './commands/setup.js';
import { registerShow } from './commands/show.js';
import { registerUi } from './commands/ui.js';

export const VERSION: string = packageJson.version;

/**
 * Runs the CLI with `argv` (without node and script path) and returns the exit code.
 * Nothing here calls process.exit, so tests and embedders can run it in-process.
 */
export async function main(argv: readonly string[], streams: Partial<CliStreams> = {}): Promise<number> {
  const io: CliStreams = { ...defaultStreams(), ...streams };
  // `vault` and `openbao` name the hashicorp provider: every later step sees the canonical id.
  const args = withCanonicalProvider(argv, canonicalProviderId);
  const json = optionGiven(args, '--json');
  const colors = createColors(colorsEnabled(io.env, args, Boolean(io.stderr.isTTY)));
  let ctx = new CliContext(io, colors, json);
  try {
    ctx = new CliContext(io, colors, json, agentMode(io.env, optionGiven(args, '--no-agent')));
    ctx.argv = args;
    const delegated = delegatedCommand(args);
    if (delegated) return await runDelegated(delegated.command, delegated.args, ctx);
    const { command, providerId } = prescanProvider(args);
    const provider = providerId === undefined ? undefined : await loadNamedProvider(ctx, providerId, args);
    const program = buildProgram(ctx, command, provider);
    await program.parseAsync(args, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    ctx.io.stopSpinner();
    return reportError(error, { streams: io, colors, json });
  } finally {
    ctx.io.stopSpinner();
  }
}

/** `provider` is the one named on the command line; only `command` gets its flags. */
function buildProgram(ctx: CliContext, command: string | undefined, provider: AnyProvider | undefined): Command {
  const providerFor = (name: string): AnyProvider | undefined => (command === name ? provider : undefined);
  const { stdout, stderr } = ctx.streams;
  const program = new Command('vaultlink')
    .description('A local-first secret vault for HTTP API work: {{vault:NAME}} references, local secrets and links to external vaults.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'data as JSON on stdout; errors as JSON on stderr')
    .option('--no-color', 'no colours on stderr (also NO_COLOR=1)')
    .option('--no-agent', 'run in this process, without the vaultlink agent (also VAULTLINK_AGENT=off)')
    .exitOverride()
    // Program options only before the command word, so `--version` after it can be a provider flag (`link --version 2`).
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      // With --json, reportError prints the usage error as JSON instead.
      outputError: (text, write) => {
        if (!ctx.json) write(ctx.colors.red(text));
      },
    })
    .addHelpText('after', helpFooter());
  // Subcommands copy exitOverride/output settings when created, so they are added after.
  registerInit(program, ctx);
  registerSet(program, ctx);
  registerLink(program, ctx, providerFor('link'));
  registerLinks(program, ctx);
  registerList(program, ctx);
  registerShow(program, ctx);
  registerGet(program, ctx);
  registerManage(program, ctx);
  registerIntegrations(program, ctx, {
    connect: providerFor('connect'),
    reauth: providerFor('reauth'),
    disconnect: providerFor('disconnect'),
  });
  registerSetup(program, ctx, providerFor('setup'));
  registerConfig(program, ctx);
  registerCache(program, ctx);
  registerResolve(program, ctx);
  registerAgent(program, ctx);
  registerLock(program, ctx);
  registerKey(program, ctx);
  registerUi(program, ctx);
  registerExec(program, ctx);
  registerDelegated(program);
  addOutputOptions(program);
  return program;
}

/** `--json` and `--no-color` work after the command word too (`vaultlink list --json`). */
function addOutputOptions(command: Command): void {
  for (const sub of command.commands) {
    if (sub.commands.length > 0) addOutputOptions(sub);
    else if (!['run', 'import', 'help'].includes(sub.name())) {
      sub
        .option('--json', 'data as JSON on stdout; errors as JSON on stderr')
        .option('--no-color', 'no colours on stderr (also NO_COLOR=1)')
        .option('--no-agent', 'run in this process, without the vaultlink agent (also VAULTLINK_AGENT=off)');
    }
  }
}

/** The provider named on the command line, loaded so its flags can be registered before parsing. */
async function loadNamedProvider(ctx: CliContext, providerId: string, argv: readonly string[]): Promise<AnyProvider | undefined> {
  try {
    return await ctx.loadProvider(providerId);
  } catch (error) {
    // `--help` still works when the provider is missing: help lists the generic flags.
    if (optionGiven(argv, '--help') || optionGiven(argv, '-h')) return undefined;
    throw error;
  }
}

/** `vaultlink [globals] run|import ...` is handed to @vault/runner unparsed. */
function delegatedCommand(argv: readonly string[]): { command: string; args: string[] } | undefined {
  const index = argv.findIndex((arg) => !arg.startsWith('-'));
  const word = index >= 0 ? argv[index]! : undefined;
  if (word === undefined || !DELEGATED_COMMANDS.has(word)) return undefined;
  // Our own switches before the command word mean the same to the runner in its terms.
  const before = argv
    .slice(0, index)
    .flatMap((arg) => (arg === '--no-color' ? ['--color', 'off'] : arg === '--json' || arg === '--no-agent' ? [] : [arg]));
  return { command: word, args: [...before, ...argv.slice(index + 1)] };
}

function optionGiven(argv: readonly string[], flag: string): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes(flag);
}
