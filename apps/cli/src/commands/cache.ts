import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/**
 * `cache reset [NAME]`. Fetched values are cached in memory only: in the agent when one
 * serves the command (shared by every command, so the reset applies to all of them at
 * once), else in this process, which starts empty and drops its cache on exit.
 */
export function registerCache(program: Command, ctx: CliContext): void {
  const cache = program.command('cache').description('the in-memory cache of fetched values');
  cache
    .command('reset')
    .description("drop cached values (all, or one secret's), in the agent when one runs")
    .argument('[name]', 'only this secret')
    .action(async (name: string | undefined) => {
      const vault = await ctx.vault();
      if (name !== undefined) await vault.show(name); // NOT_FOUND names the fix
      await vault.resetCache(name);
      if (ctx.json) ctx.outJson({ reset: name ?? 'all' });
      ctx.done(`Cache reset${name ? ` for "${name}"` : ''}.`);
      if (!ctx.viaAgent) {
        ctx.info(
          'Note: no vaultlink agent serves this vault, so this command had its own, empty cache; every command without the agent fetches fresh values anyway.',
        );
      }
    });
}
