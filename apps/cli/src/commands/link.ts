import type { Command } from 'commander';
import { knownProvidersText, type AnyProvider } from '@vault/core';
import type { CliContext } from '../context.js';
import { collectProviderFields, flagsFor, registerProviderFlags, warnSecretsOnArgv } from '../provider-flags.js';
import { domainOption } from './shared.js';

/**
 * `link NAME --provider ID [provider flags]`. `provider` is the one named on the command
 * line (pre-scanned), so its FlagSpec list becomes real flags with help and validation.
 */
export function registerLink(program: Command, ctx: CliContext, provider: AnyProvider | undefined): void {
  const command = program
    .command('link')
    .description('link a secret name to a secret in an external vault (relinking replaces the link)')
    .argument('<name>', 'secret name, referenced as {{vault:NAME}}')
    .requiredOption('-p, --provider <id>', `provider id: ${knownProvidersText()}, or a third-party provider`)
    .addOption(domainOption())
    .addHelpText(
      'after',
      provider ? '' : '\nProvider flags: run `vaultlink link NAME --provider ID --help` to list the flags of a provider.',
    );
  const specs = provider ? flagsFor(provider, 'link') : [];
  if (provider) registerProviderFlags(command, specs, provider.id);
  command.action(async (name: string, options: Record<string, unknown>) => {
    const providerId = options.provider as string;
    const { fields, secretsOnArgv } = await collectProviderFields(specs, options, ctx.streams, ctx.argv);
    warnSecretsOnArgv(secretsOnArgv, (m) => ctx.warn(m));
    const vault = await ctx.vault();
    const domains = options.domain as string[] | undefined;
    const { warnings } = await vault.link(name, providerId, fields, domains ? { allowedDomains: domains } : {});
    for (const warning of warnings) ctx.warn(warning);
    const info = await vault.show(name);
    if (ctx.json) ctx.outJson({ ...info, warnings });
    ctx.done(`Linked "${name}" to ${providerId}: ${info.identifier ?? ''}${info.version ? ` (version ${info.version})` : ''}`.trimEnd());
    const connected = (await vault.integrations()).some((i) => i.provider === providerId);
    if (!connected)
      ctx.info(`Not connected to ${providerId} yet: references to "${name}" resolve after \`vaultlink connect ${providerId}\`.`);
  });
}
