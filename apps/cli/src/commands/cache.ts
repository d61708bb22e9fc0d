import type { Command } from 'commander';
import { VaultError } from '@vault/core';
import type { CliContext } from '../context.js';

/**
 * `cache reset [NAME]`. Fetched values are cached in memory only, per process: each
 * `vaultlink` command starts with an empty cache and drops it on exit, so a fresh command
 * always fetches. The command exists for parity with Postman and for long-running hosts
 * of the same code (`vaultlink run`, the runner's programmatic API), which call the same
 * reset. Here it checks the name and says honestly what that means.
 */
export function registerCache(program: Command, ctx: CliContext): void {
  const cache = program.command('cache').description('the in-memory cache of fetched values');
  cache
    .command('reset')
    .description('drop cached values (all, or one secret); each CLI command has its own in-memory cache, see the README')
    .argument('[name]', 'only this secret')
    .action(async (name: string | undefined) => {
      const vault = await ctx.vault();
      if (name !== undefined && (await vault.entry(name)) === undefined) {
        throw new VaultError('NOT_FOUND', `No secret named "${name}".`, { fix: 'vaultlink list' });
      }
      vault.resetCache(name);
      if (ctx.json) ctx.outJson({ reset: name ?? 'all' });
      ctx.done(`Cache reset${name ? ` for "${name}"` : ''}.`);
      ctx.info('Note: vaultlink keeps fetched values in memory only, per process; every vaultlink command starts with an empty cache, so the next command fetches fresh values anyway.');
    });
}
