import type { Command } from 'commander';
import type { AnyProvider, IntegrationInfo, SignOutOutcome } from '@vault/core';
import type { CliContext } from '../context.js';
import { renderFix } from '@vault/agent/fix-text';
import { table } from '../output.js';
import { registerProviderCommand } from './provider-command.js';

/**
 * connect / reauth / disconnect / logout / integrations. `provider` is the one named by the
 * PROVIDER argument (pre-scanned from argv) so its FlagSpec list becomes real flags.
 */
export interface NamedProviders {
  connect?: AnyProvider;
  reauth?: AnyProvider;
  disconnect?: AnyProvider;
}

export function registerIntegrations(program: Command, ctx: CliContext, named: NamedProviders): void {
  registerProviderCommand(program, ctx, {
    name: 'connect',
    description: 'sign in to an external vault and keep the session (one integration per provider)',
    provider: named.connect,
    flags: 'connect',
    run: async (vault, providerId, fields) => {
      const info = await ctx.io.withProgress(`Connecting to ${providerId}`, () => vault.connect(providerId, fields, ctx.io));
      report(ctx, info, 'Connected to');
    },
  });

  registerProviderCommand(program, ctx, {
    name: 'reauth',
    description: 'sign in again to renew an expired session (reuses the options given at connect)',
    provider: named.reauth,
    flags: 'connect',
    run: async (vault, providerId, fields) => {
      const info = await ctx.io.withProgress(`Signing in to ${providerId}`, () => vault.reauth(providerId, ctx.io, fields));
      report(ctx, info, 'Renewed the session for');
    },
  });

  registerProviderCommand(program, ctx, {
    name: 'disconnect',
    description: 'remove an integration; links stay but their references become unresolved (admin-managed providers need admin flags)',
    provider: named.disconnect,
    flags: 'disconnect',
    run: async (vault, providerId, fields) => {
      const linked = (await vault.list()).filter((s) => s.kind === 'linked' && s.provider === providerId).length;
      const outcome = await ctx.io.withProgress(`Disconnecting ${providerId}`, () => vault.disconnect(providerId, ctx.io, fields));
      if (ctx.json) ctx.outJson({ disconnected: providerId, linkedSecrets: linked, ...signOutJson(outcome) });
      ctx.done(`Disconnected ${providerId}.${signOutText(outcome)}`);
      if (linked > 0)
        ctx.info(
          `${linked} linked secret(s) keep their links; their references are unresolved (reason: disconnected) until you connect again.`,
        );
    },
  });

  program
    .command('logout')
    .description(
      'drop only your own session (credentials vaultlink created are revoked upstream; ones you brought are only forgotten); the integration and team config stay',
    )
    .argument('<provider>', 'provider id')
    .action(async (providerId: string) => {
      const vault = await ctx.vault();
      const outcome = await ctx.io.withProgress(`Signing out of ${providerId}`, () => vault.logout(providerId));
      if (ctx.json) ctx.outJson({ loggedOut: providerId, ...signOutJson(outcome) });
      ctx.done(`Signed out of ${providerId}.${signOutText(outcome)} Sign in again with \`vaultlink reauth ${providerId}\`.`);
    });

  program
    .command('integrations')
    .description('list connected external vaults and their sessions')
    .action(async () => {
      const list = await (await ctx.vault()).integrations();
      if (ctx.json) {
        ctx.outJson(list.map(integrationJson));
        return;
      }
      if (list.length === 0) {
        ctx.info('No integrations yet: connect one with `vaultlink connect PROVIDER`.');
        return;
      }
      for (const info of list)
        if (info.disconnected)
          ctx.warn(`${info.disconnected.message}${info.disconnected.fix ? ` Fix: ${renderFix(info.disconnected.fix)}` : ''}`);
      ctx.out(
        table(
          ['PROVIDER', 'ORGANIZATION', 'PRINCIPAL', 'EXPIRES', 'LINKS'],
          list.map((i) => [i.provider, i.organization, i.principal, expiry(i), String(i.linkedSecrets)]),
        ),
      );
    });
}

/** What happened to the credentials: revoked upstream, or only forgotten here (and why). */
function signOutText(outcome: SignOutOutcome): string {
  if (outcome.revoked === true) return ' The session was revoked upstream.';
  if (outcome.revoked === false)
    return ` The credentials were only forgotten here, not revoked upstream${outcome.note ? `: ${outcome.note}` : ''}.`;
  return '';
}

function signOutJson(outcome: SignOutOutcome): { revoked: boolean | null; note?: string } {
  return { revoked: outcome.revoked, ...(outcome.note ? { note: outcome.note } : {}) };
}

/** As `--json` errors do: the fix of a disconnected integration as the command (`fix`) and as data (`fixAction`). */
function integrationJson(info: IntegrationInfo): Record<string, unknown> {
  if (!info.disconnected?.fix) return { ...info };
  const { fix, ...disconnected } = info.disconnected;
  return { ...info, disconnected: { ...disconnected, fix: renderFix(fix), fixAction: fix } };
}

function expiry(info: IntegrationInfo): string {
  if (info.disconnected) return 'disconnected (team config changed)';
  if (info.expiresAt === null) return 'never';
  return info.expired ? `expired ${info.expiresAt}` : info.expiresAt;
}

function report(ctx: CliContext, info: IntegrationInfo, verb: string): void {
  if (ctx.json) ctx.outJson(info);
  // Principals often name their organization already (AWS: "account 123… (arn…)"): say it once.
  const organization = info.principal.includes(info.organization) ? '' : ` (${info.organization})`;
  ctx.done(`${verb} ${info.displayName} as ${info.principal}${organization}.`);
  ctx.info(
    info.expiresAt
      ? `Session expires ${info.expiresAt}; renew it with \`vaultlink reauth ${info.provider}\`.`
      : 'The session does not expire by itself.',
  );
}
