import type { Command } from 'commander';
import { VaultError } from '@vault/core';
import type { CliContext } from '../context.js';
import { formatDomains } from '../output.js';
import { collectList } from './shared.js';

/** Commands that change one secret's entry without touching its value: rm, rename, disable, enable, domains. */
export function registerManage(program: Command, ctx: CliContext): void {
  program
    .command('rm')
    .alias('remove')
    .description('delete a secret (a linked secret only loses its link; the external vault is not touched)')
    .argument('<name>', 'secret name')
    .action(async (name: string) => {
      await (await ctx.vault()).remove(name);
      if (ctx.json) ctx.outJson({ removed: name });
      ctx.done(`Removed "${name}".`);
    });

  program
    .command('rename')
    .description('rename a secret; references to the old name stop resolving')
    .argument('<old>', 'current name')
    .argument('<new>', 'new name')
    .action(async (from: string, to: string) => {
      await (await ctx.vault()).rename(from, to);
      if (ctx.json) ctx.outJson({ renamed: { from, to } });
      ctx.done(`Renamed "${from}" to "${to}". Update references to {{vault:${from}}}.`);
    });

  for (const [verb, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    program
      .command(verb)
      .description(
        enabled ? 'enable a disabled secret again' : 'disable a secret: it is kept, but its references are unresolved (reason: disabled)',
      )
      .argument('<name>', 'secret name')
      .action(async (name: string) => {
        await (await ctx.vault()).setEnabled(name, enabled);
        if (ctx.json) ctx.outJson({ name, enabled });
        ctx.done(`${enabled ? 'Enabled' : 'Disabled'} "${name}".`);
      });
  }

  program
    .command('domains')
    .description('set the allowed domains of a secret (replaces the list); without domains, print the current list')
    .argument('<name>', 'secret name')
    .argument('[domains...]', 'api.example.com, *.example.com, http://localhost; no scheme means https, any port')
    .option('--clear', 'allow any domain again')
    .action(async (name: string, domains: string[], options: { clear?: boolean }) => {
      const vault = await ctx.vault();
      const list = domains.flatMap((d) => collectList(d, []));
      if (options.clear && list.length > 0) {
        throw new VaultError('INVALID_INPUT', 'Give domains or --clear, not both.', {
          issues: [{ field: '--clear', problem: 'given together with domains', expected: 'either a list of domains or --clear' }],
          fix: `vaultlink domains ${name} DOMAIN..., or vaultlink domains ${name} --clear`,
        });
      }
      if (!options.clear && list.length === 0) {
        const info = await vault.show(name);
        if (ctx.json) ctx.outJson({ name, allowedDomains: info.allowedDomains });
        else ctx.out(info.allowedDomains.length ? `${info.allowedDomains.join('\n')}\n` : '');
        if (!ctx.json && info.allowedDomains.length === 0) ctx.info(`"${name}" has no allowed-domain list: it may be sent to any host.`);
        return;
      }
      await vault.setAllowedDomains(name, list);
      const info = await vault.show(name);
      if (ctx.json) ctx.outJson({ name, allowedDomains: info.allowedDomains });
      ctx.done(`Allowed domains of "${name}": ${formatDomains(info.allowedDomains)}.`);
    });
}
