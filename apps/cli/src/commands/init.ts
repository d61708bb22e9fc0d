import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create the encrypted local vault in VAULTLINK_HOME (key from the OS keychain, or VAULTLINK_PASSPHRASE / a prompt)')
    .action(async () => {
      const result = await ctx.initVault();
      if (ctx.json) ctx.outJson(result);
      ctx.done(`Created the local vault at ${result.path} (key protected by ${result.protection}).`);
    });
}
