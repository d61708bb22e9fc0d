import type { Command } from 'commander';
import type { AnyProvider } from '@vault/core';
import type { CliContext } from '../context.js';
import { formatMetadataValue, keyValues } from '../output.js';
import { registerProviderCommand } from './provider-command.js';

/** `setup PROVIDER`: admin-managed providers write the team config members sign in against. */
export function registerSetup(program: Command, ctx: CliContext, provider: AnyProvider | undefined): void {
  registerProviderCommand(program, ctx, {
    name: 'setup',
    description: 'admin: configure an admin-managed provider for the team (writes .vaultlink/team.json or VAULTLINK_TEAM_CONFIG)',
    provider,
    flags: 'setup',
    run: async (vault, providerId, fields) => {
      const settings = await ctx.io.withProgress(`Setting up ${providerId}`, () => vault.setup(providerId, fields, ctx.io));
      if (settings === null) {
        if (ctx.json) ctx.outJson({ provider: providerId, settings: null, written: false });
        ctx.done(
          `Nothing was written for ${providerId}: run the commands above, then the \`vaultlink setup ${providerId} ...\` line they end with.`,
        );
        return;
      }
      if (ctx.json) ctx.outJson({ provider: providerId, settings });
      else ctx.out(keyValues(Object.entries(settings).map(([k, v]) => [k, formatMetadataValue(v)] as const)));
      ctx.done(`Wrote the team settings for ${providerId}. Members sign in with \`vaultlink connect ${providerId}\`.`);
    },
  });
}
