import type { Command } from 'commander';
import { VaultError } from '@vault/core';
import type { CliContext } from '../context.js';
import { keyValues } from '../output.js';

const MINUTES_EXPECTED = 'a whole number of minutes ≥ 0, e.g. 60 (0 disables caching)';

/** `config get` / `config set expiry MINUTES`. */
export function registerConfig(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('read or change vault settings');

  config
    .command('get')
    .description('print the settings')
    .action(async () => {
      const minutes = await (await ctx.vault()).getCacheExpiryMinutes();
      if (ctx.json) ctx.outJson({ expiry: minutes });
      else ctx.out(keyValues([['expiry', minutes === 0 ? '0 (caching disabled)' : `${minutes} minutes`]]));
    });

  config
    .command('set')
    .description('change a setting: `config set expiry MINUTES` sets how long fetched values stay cached in memory')
    .argument('<key>', 'setting name: expiry')
    .argument('<value>', MINUTES_EXPECTED)
    .action(async (key: string, value: string) => {
      if (key !== 'expiry') {
        throw new VaultError('INVALID_INPUT', `Unknown setting "${key}".`, {
          issues: [{ field: 'KEY', problem: `"${key}" is not a setting`, expected: 'expiry' }],
          fix: 'vaultlink config set expiry 60',
        });
      }
      const minutes = parseMinutes(value);
      await (await ctx.vault()).setCacheExpiryMinutes(minutes);
      if (ctx.json) ctx.outJson({ expiry: minutes });
      ctx.done(
        minutes === 0 ? 'Caching disabled: every reference is fetched each time.' : `Fetched values stay cached for ${minutes} minutes.`,
      );
    });
}

export function parseMinutes(text: string, field = 'MINUTES'): number {
  const trimmed = text.trim();
  const minutes = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(minutes)) {
    throw new VaultError('INVALID_INPUT', `"${text}" is not a number of minutes.`, {
      issues: [
        {
          field,
          problem: `"${text}" is not a whole number of minutes`,
          expected: field === 'MINUTES' ? MINUTES_EXPECTED : 'a whole number of minutes ≥ 0 (0: never)',
        },
      ],
      fix: field === 'MINUTES' ? 'vaultlink config set expiry 60' : `${field} 10`,
    });
  }
  return minutes;
}
