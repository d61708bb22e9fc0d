import type { Command } from 'commander';
import { DATA_KEY_ENV, openFileStore } from '@vault/core';
import type { CliContext } from '../context.js';

/**
 * `key export`: prints the vault's data key (base64) for VAULTLINK_KEY, which lets CI open
 * the vault without the passphrase KDF. Always in this process, from the passphrase or the
 * keychain: an unlocked agent never hands out its key.
 */
export function registerKey(program: Command, ctx: CliContext): void {
  const key = program.command('key').description('the vault key, for VAULTLINK_KEY in CI');
  key
    .command('export')
    .description(
      `print the vault's data key (base64) for ${DATA_KEY_ENV}: it opens the vault with no passphrase and no KDF, so store it like the vault's contents`,
    )
    .action(async () => {
      const passphrase = ctx.io.interactive ? { passphrase: () => ctx.io.prompt('Vault passphrase', { secret: true }) } : {};
      const store = await openFileStore({ env: ctx.env, ...passphrase });
      const exported = await store.exportDataKey();
      store.forgetKeys();
      if (ctx.json) ctx.outJson({ [DATA_KEY_ENV]: exported });
      else ctx.out(ctx.streams.stdout.isTTY ? `${exported}\n` : exported);
      ctx.warn(
        `${DATA_KEY_ENV} opens ${store.path} without the passphrase and with no brute-force cost; changing the passphrase does not change it. Keep it in your CI's secret store only.`,
      );
    });
}
