import { Option, type Command } from 'commander';
import { knownProvidersText, type AnyProvider, type ProviderFields, type VaultApi } from '@vault/core';
import type { CliContext } from '../context.js';
import { collectProviderFields, flagsFor, promptHint, registerProviderFlags, warnSecretsOnArgv, type FlagSet } from '../provider-flags.js';

/** A `COMMAND PROVIDER [provider flags]` command: connect, reauth, disconnect, setup. */
export interface ProviderCommandSpec {
  name: string;
  description: string;
  /** The provider named on the command line (pre-scanned), when this is the command being run. */
  provider: AnyProvider | undefined;
  /** Which of the provider's FlagSpec lists become flags. */
  flags: FlagSet;
  run(vault: VaultApi, providerId: string, fields: ProviderFields): Promise<void>;
}

/**
 * Registers the command with `--no-browser` and the provider's flags, and runs `spec.run`
 * with the fields read from argv, stdin and the environment.
 */
export function registerProviderCommand(program: Command, ctx: CliContext, spec: ProviderCommandSpec): void {
  const { provider } = spec;
  const command = program
    .command(spec.name)
    .description(spec.description)
    .argument('<provider>', `provider id: ${knownProvidersText()}, or a third-party provider`)
    .addOption(new Option('--no-browser', 'print sign-in URLs instead of opening a browser'));
  // Computed once: flagsFor also checks the provider's declarations, which need not run twice.
  const specs = provider ? flagsFor(provider, spec.flags) : [];
  if (provider) registerProviderFlags(command, specs, provider.id);
  else command.addHelpText('after', `\nProvider flags: run \`vaultlink ${spec.name} PROVIDER --help\` to list the flags of a provider.`);
  command.action(async (providerId: string, options: Record<string, unknown>) => {
    // --no-browser, or VAULTLINK_NO_BROWSER=1 for scripts that wrap the CLI.
    ctx.io.noBrowser = options.browser === false || ['1', 'true'].includes(ctx.env.VAULTLINK_NO_BROWSER ?? '');
    const { fields, secretsOnArgv } = await collectProviderFields(specs, options, ctx.streams, ctx.argv);
    ctx.io.promptHint = promptHint(specs, fields, `vaultlink ${spec.name} ${providerId}`);
    warnSecretsOnArgv(secretsOnArgv, (m) => ctx.warn(m));
    await spec.run(await ctx.vault(), providerId, fields);
  });
}
