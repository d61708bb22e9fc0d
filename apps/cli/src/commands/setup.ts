import { Option, type Command } from 'commander';
import type { AnyProvider } from '@vault/core';
import type { CliContext } from '../context.js';
import { collectProviderFields, flagsFor, promptHint, registerProviderFlags, warnSecretsOnArgv } from '../provider-flags.js';
import { formatMetadataValue, keyValues } from '../output.js';

/** `setup PROVIDER`: admin-managed providers write the team config members sign in against. */
export function registerSetup(program: Command, ctx: CliContext, provider: AnyProvider | undefined): void {
  const command = program
    .command('setup')
    .description('admin: configure an admin-managed provider for the team (writes .vaultlink/team.json or VAULTLINK_TEAM_CONFIG)')
    .argument('<provider>', 'provider id, e.g. hashicorp')
    .addOption(new Option('--no-browser', 'print URLs instead of opening a browser'));
  const specs = provider ? flagsFor(provider, 'setup') : [];
  if (provider) registerProviderFlags(command, specs, provider.id);
  else command.addHelpText('after', '\nProvider flags: run `vaultlink setup PROVIDER --help` to list the flags of a provider.');
  command.action(async (providerId: string, options: Record<string, unknown>) => {
    ctx.io.noBrowser = options.browser === false;
    const { fields, secretsOnArgv } = await collectProviderFields(specs, options, ctx.streams);
    ctx.io.promptHint = promptHint(specs, fields, `vaultlink setup ${providerId}`);
    warnSecretsOnArgv(secretsOnArgv, (m) => ctx.warn(m));
    const vault = await ctx.vault();
    const settings = await ctx.io.withProgress(`Setting up ${providerId}`, () => vault.setup(providerId, fields, ctx.io));
    if (settings === null) {
      if (ctx.json) ctx.outJson({ provider: providerId, settings: null, written: false });
      ctx.done(`Nothing was written for ${providerId}: run the commands above, then the \`vaultlink setup ${providerId} ...\` line they end with.`);
      return;
    }
    if (ctx.json) ctx.outJson({ provider: providerId, settings });
    else ctx.out(keyValues(Object.entries(settings).map(([k, v]) => [k, formatMetadataValue(v)] as const)));
    ctx.done(`Wrote the team settings for ${providerId}. Members sign in with \`vaultlink connect ${providerId}\`.`);
  });
}
