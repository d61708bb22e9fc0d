import type { Command } from 'commander';
import { VaultError, vaultExists } from '@vault/core';
import type { AgentConnection, UiLink } from '@vault/agent/client';
import { locateAgent, remoteVault, requestContext, unlockAgent } from '../agent-vault.js';
import type { CliContext } from '../context.js';
import { asVaultError } from '../errors.js';

/**
 * `vaultlink ui`: the vault's screens in the browser. The agent (started here if it is not
 * running: you asked for it) serves them on 127.0.0.1, on a port the system picks; this
 * command asks it for a one-time URL and opens the browser on it (`--no-browser`: prints it
 * on stderr). The agent is unlocked with VAULTLINK_KEY, VAULTLINK_PASSPHRASE or the keychain
 * when they are there; otherwise the page asks for the passphrase.
 */
export function registerUi(program: Command, ctx: CliContext): void {
  program
    .command('ui')
    .description('open the vault UI in your browser, served by the agent on 127.0.0.1 through a one-time link')
    .option('--no-browser', 'print the one-time URL on stderr instead of opening a browser')
    .action(async (options: { browser: boolean }) => {
      if (ctx.agentMode === 'off') {
        throw new VaultError('INVALID_INPUT', 'The vault UI is served by the agent, and the agent is turned off for this command.', {
          issues: [
            {
              field: ctx.env.VAULTLINK_AGENT ? 'VAULTLINK_AGENT' : '--no-agent',
              problem: 'turns the agent off',
              expected: 'the agent on (auto or on)',
            },
          ],
          fix: 'run vaultlink ui without --no-agent, with VAULTLINK_AGENT unset (or auto/on)',
        });
      }
      const { client, paths, connection: found } = await locateAgent(ctx);
      let connection: AgentConnection;
      if (found) connection = found;
      else {
        if (!(await vaultExists({ env: ctx.env }))) {
          throw new VaultError('VAULT_NOT_INITIALIZED', `No vault at ${paths.home}.`, {
            fix: 'vaultlink init (or set VAULTLINK_HOME to the directory of an existing vault)',
          });
        }
        const started = await client.startAgent({ paths, env: ctx.env, cwd: process.cwd() });
        if (started.started)
          ctx.info(
            `Started the vaultlink agent (pid ${started.pid}); it serves the UI and locks when idle. \`vaultlink agent stop\` stops both.`,
          );
        connection = await client.AgentConnection.open(paths).catch(async (error: unknown) =>
          Promise.reject(await client.connectError(error, paths.socket)),
        );
      }
      const open = connection;
      // Store warnings met while unlocking (a rolled-back vault file) are printed here, as every command does.
      const vault = remoteVault(ctx, client, async () => open);
      try {
        await unlockAgent(ctx, vault, { prompt: false }).catch((error: unknown) => {
          // The page can still be opened: it shows the unlock screen.
          ctx.warn(`could not unlock the agent: ${asVaultError(error)?.message.split('\n')[0] ?? String(error)}`);
        });
        const env: Record<string, string | undefined> = { ...ctx.env };
        delete env.VAULTLINK_PASSPHRASE;
        delete env.VAULTLINK_KEY;
        const link = await open.request<UiLink>('ui', [{ env }], { ctx: requestContext(ctx.env) });
        if (ctx.json) ctx.outJson(link);
        ctx.io.noBrowser = !options.browser;
        await ctx.io.openBrowser(link.url);
        ctx.info(`The link works once, until ${link.expiresAt}. The agent serves the UI on 127.0.0.1:${link.port} until it stops.`);
      } finally {
        await vault.close();
      }
    });
}
