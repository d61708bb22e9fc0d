import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create the encrypted local vault in VAULTLINK_HOME (key from the OS keychain, or VAULTLINK_PASSPHRASE / a prompt)')
    .action(async () => {
      const result = await ctx.initVault();
      if (ctx.json) ctx.outJson(result);
      if (!result.created) {
        ctx.done(`The local vault at ${result.path} already exists and opens with your key (${result.protection}); it was left unchanged.`);
        return;
      }
      // The reason already says what failed ("the OS keychain is not usable here (…)"): no wrapper repeating it.
      if (result.keychainUnavailableReason) ctx.info(`Using a passphrase for the vault key: ${result.keychainUnavailableReason}.`);
      ctx.done(`Created the local vault at ${result.path} (key protected by ${result.protection}).`);
    });
}
