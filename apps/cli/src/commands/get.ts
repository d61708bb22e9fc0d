import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/**
 * `get NAME`: one of two commands that print a value (with `resolve`). On a terminal a
 * newline follows for readability; piped, stdout is exactly the value, so
 * `vaultlink get token > file` and `$(vaultlink get token)` hold nothing extra.
 */
export function registerGet(program: Command, ctx: CliContext): void {
  program
    .command('get')
    .description('print the value of a secret, fetching it if it is linked (allowed domains are not checked: there is no request)')
    .argument('<name>', 'secret name')
    .action(async (name: string) => {
      const vault = await ctx.vault();
      const value = await ctx.io.withProgress(`Resolving "${name}"`, () => vault.get(name));
      if (ctx.json) {
        ctx.outJson({ name, value });
        return;
      }
      ctx.out(ctx.streams.stdout.isTTY ? `${value}\n` : value);
    });
}
