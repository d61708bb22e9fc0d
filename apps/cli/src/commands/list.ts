import type { Command } from 'commander';
import type { IntegrationInfo, SecretInfo } from '@vault/core';
import type { CliContext } from '../context.js';
import { formatDomains, table } from '../output.js';

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .alias('ls')
    .description('list secrets (names, sources, allowed domains; never values)')
    .option('-f, --filter <text>', 'only names containing TEXT (case-insensitive)')
    .action(async (options: { filter?: string }) => {
      const vault = await ctx.vault();
      const secrets = await vault.list(options.filter);
      const connected = connectedProviders(await vault.integrations());
      if (ctx.json) {
        ctx.outJson(secrets.map((s) => ({ ...s, state: state(s, connected) })));
        return;
      }
      if (secrets.length === 0) {
        ctx.info(
          options.filter
            ? `No secret name contains "${options.filter}".`
            : 'The vault has no secrets yet: add one with `vaultlink set NAME` or `vaultlink link NAME --provider ID`.',
        );
        return;
      }
      ctx.out(
        table(
          ['NAME', 'SOURCE', 'IDENTIFIER', 'DOMAINS', 'STATE', 'DETAILS'],
          secrets.map((s) => [
            s.name,
            s.kind === 'local' ? 'local' : (s.provider ?? '?'),
            identifier(s),
            formatDomains(s.allowedDomains),
            state(s, connected),
            details(s),
          ]),
        ),
      );
    });
}

function identifier(secret: SecretInfo): string {
  if (secret.kind === 'local') return '-';
  return `${secret.identifier ?? ''}${secret.version ? ` @${secret.version}` : ''}`;
}

/**
 * Every other field of the link from the provider's summary (JSON key, role ARN, ...), so two
 * different links never look the same. Some repeat parts of the identifier; all are kept, since
 * dropping one could hide the only difference.
 */
export function details(secret: SecretInfo): string {
  const shown = Object.entries(secret.extra ?? {});
  return shown.length ? shown.map(([key, value]) => `${key}=${value}`).join(' ') : '-';
}

/** Providers whose references can resolve: integrated, and not disconnected by the team config. */
export function connectedProviders(integrations: readonly IntegrationInfo[]): Set<string> {
  return new Set(integrations.filter((i) => !i.disconnected).map((i) => i.provider));
}

/** What a reference to this secret would do right now, without a network call. */
export function state(secret: SecretInfo, connected: ReadonlySet<string>): string {
  if (!secret.enabled) return 'disabled';
  if (secret.kind === 'linked' && secret.provider && !connected.has(secret.provider)) return 'disconnected';
  return 'enabled';
}
