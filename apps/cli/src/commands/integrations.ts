import { Option, type Command } from 'commander';
import type { AnyProvider, IntegrationInfo } from '@vault/core';
import type { CliContext } from '../context.js';
import { collectProviderFields, flagsFor, promptHint, registerProviderFlags, warnSecretsOnArgv, type FlagSet } from '../provider-flags.js';
import { table } from '../output.js';

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
  const connect = withProviderFlags(
    program.command('connect').description('sign in to an external vault and keep the session (one integration per provider)'),
    ctx,
    named.connect,
    'connect',
  );
  connect.action(async (providerId: string, options: Record<string, unknown>) => {
    const fields = await fieldsFrom(ctx, named.connect, 'connect', options, providerId);
    const vault = await ctx.vault();
    const info = await ctx.io.withProgress(`Connecting to ${providerId}`, () => vault.connect(providerId, fields, ctx.io));
    report(ctx, info, 'Connected to');
  });

  const reauth = withProviderFlags(
    program.command('reauth').description('sign in again to renew an expired session (reuses the options given at connect)'),
    ctx,
    named.reauth,
    'connect',
  );
  reauth.action(async (providerId: string, options: Record<string, unknown>) => {
    const fields = await fieldsFrom(ctx, named.reauth, 'connect', options, providerId, 'reauth');
    const vault = await ctx.vault();
    const info = await ctx.io.withProgress(`Signing in to ${providerId}`, () => vault.reauth(providerId, ctx.io, fields));
    report(ctx, info, 'Renewed the session for');
  });

  const disconnect = withProviderFlags(
    program
      .command('disconnect')
      .description('remove an integration; links stay but their references become unresolved (admin-managed providers need admin flags)'),
    ctx,
    named.disconnect,
    'disconnect',
  );
  disconnect.action(async (providerId: string, options: Record<string, unknown>) => {
    const fields = await fieldsFrom(ctx, named.disconnect, 'disconnect', options, providerId);
    const vault = await ctx.vault();
    const linked = (await vault.list()).filter((s) => s.kind === 'linked' && s.provider === providerId).length;
    await ctx.io.withProgress(`Disconnecting ${providerId}`, () => vault.disconnect(providerId, ctx.io, fields));
    if (ctx.json) ctx.outJson({ disconnected: providerId, linkedSecrets: linked });
    ctx.done(`Disconnected ${providerId}.`);
    if (linked > 0) ctx.info(`${linked} linked secret(s) keep their links; their references are unresolved (reason: disconnected) until you connect again.`);
  });

  program
    .command('logout')
    .description("drop only your own session (revoked upstream where possible); the integration and team config stay")
    .argument('<provider>', 'provider id')
    .action(async (providerId: string) => {
      const vault = await ctx.vault();
      await ctx.io.withProgress(`Signing out of ${providerId}`, () => vault.logout(providerId));
      if (ctx.json) ctx.outJson({ loggedOut: providerId });
      ctx.done(`Signed out of ${providerId}. Sign in again with \`vaultlink reauth ${providerId}\`.`);
    });

  program
    .command('integrations')
    .description('list connected external vaults and their sessions')
    .action(async () => {
      const list = await (await ctx.vault()).integrations();
      if (ctx.json) {
        ctx.outJson(list);
        return;
      }
      if (list.length === 0) {
        ctx.info('No integrations yet: connect one with `vaultlink connect PROVIDER`.');
        return;
      }
      ctx.out(
        table(
          ['PROVIDER', 'ORGANIZATION', 'PRINCIPAL', 'EXPIRES', 'LINKS'],
          list.map((i) => [i.provider, i.organization, i.principal, expiry(i), String(i.linkedSecrets)]),
        ),
      );
    });
}

function withProviderFlags(command: Command, ctx: CliContext, provider: AnyProvider | undefined, set: FlagSet): Command {
  command.argument('<provider>', 'provider id: memory, aws, azure, hashicorp, or a third-party provider');
  command.addOption(new Option('--no-browser', 'print sign-in URLs instead of opening a browser'));
  if (provider) registerProviderFlags(command, flagsFor(provider, set), provider.id);
  else command.addHelpText('after', `\nProvider flags: run \`vaultlink ${command.name()} PROVIDER --help\` to list the flags of a provider.`);
  return command;
}

async function fieldsFrom(ctx: CliContext, provider: AnyProvider | undefined, set: FlagSet, options: Record<string, unknown>, providerId: string, command: string = set) {
  // --no-browser, or VAULTLINK_NO_BROWSER=1 for scripts that wrap the CLI.
  ctx.io.noBrowser = options.browser === false || ['1', 'true'].includes(ctx.env.VAULTLINK_NO_BROWSER ?? '');
  const specs = provider ? flagsFor(provider, set) : [];
  const { fields, secretsOnArgv } = await collectProviderFields(specs, options, ctx.streams);
  ctx.io.promptHint = promptHint(specs, fields, `vaultlink ${command} ${providerId}`);
  warnSecretsOnArgv(secretsOnArgv, (m) => ctx.warn(m));
  return fields;
}

function expiry(info: IntegrationInfo): string {
  if (info.expiresAt === null) return 'never';
  return info.expired ? `expired ${info.expiresAt}` : info.expiresAt;
}

function report(ctx: CliContext, info: IntegrationInfo, verb: string): void {
  if (ctx.json) ctx.outJson(info);
  ctx.done(`${verb} ${info.displayName} as ${info.principal} (${info.organization}).`);
  ctx.info(info.expiresAt ? `Session expires ${info.expiresAt}; renew it with \`vaultlink reauth ${info.provider}\`.` : 'The session does not expire by itself.');
}
