import type { Command } from 'commander';
import { VaultError, vaultExists } from '@vault/core';
import { locateAgent, remoteVault, unlockAgent } from '../agent-vault.js';
import type { CliContext } from '../context.js';

/**
 * `lock` drops the agent's key, cache and decrypted state (the agent keeps running);
 * `unlock` gives it the key again: VAULTLINK_KEY, VAULTLINK_PASSPHRASE, the OS keychain, or a
 * hidden prompt. Asking to unlock starts the agent if it is not running (also in CI: you asked).
 */
export function registerLock(program: Command, ctx: CliContext): void {
  program
    .command('lock')
    .description('lock the agent: it drops the vault key and every cached value, and keeps running')
    .action(async () => {
      const { client, paths, connection } = await locateAgent(ctx);
      if (!connection) {
        if (ctx.json) ctx.outJson({ locked: true, running: false });
        ctx.info(`No agent is running for ${paths.home}; nothing holds the key.`);
        return;
      }
      const vault = remoteVault(ctx, client, async () => connection);
      const wasUnlocked = await vault.lock().finally(() => vault.close());
      if (ctx.json) ctx.outJson({ locked: true, running: true, wasUnlocked });
      ctx.done(wasUnlocked ? 'Locked: the agent dropped the vault key and its cache.' : 'The agent was already locked.');
    });

  program
    .command('unlock')
    .description('unlock the agent (VAULTLINK_KEY, VAULTLINK_PASSPHRASE, the OS keychain, or a passphrase prompt), starting it if needed')
    .action(async () => {
      const located = await locateAgent(ctx);
      const { client, paths } = located;
      let connection = located.connection;
      if (!connection) {
        if (!(await vaultExists({ env: ctx.env }))) {
          throw new VaultError('VAULT_NOT_INITIALIZED', `No vault at ${paths.home}.`, {
            fix: 'vaultlink init (or set VAULTLINK_HOME to the directory of an existing vault)',
          });
        }
        const started = await client.startAgent({ paths, env: ctx.env, cwd: process.cwd() });
        if (started.started) ctx.info(`Started the vaultlink agent (pid ${started.pid}).`);
        connection = await client.AgentConnection.open(paths);
      }
      const open = connection;
      const vault = remoteVault(ctx, client, async () => open);
      try {
        if (!(await unlockAgent(ctx, vault, { prompt: true }))) {
          throw new VaultError(
            'VAULT_LOCKED',
            'The agent needs the vault passphrase, and there is none to give it (no VAULTLINK_PASSPHRASE, no VAULTLINK_KEY, no OS keychain key, no terminal to ask on).',
            {
              fix: { action: 'unlock', hint: 'with VAULTLINK_PASSPHRASE set, or on a terminal' },
            },
          );
        }
        const status = await vault.status();
        if (ctx.json) ctx.outJson({ unlocked: true, pid: status.pid, idleLockMinutes: status.idleLockMinutes });
        ctx.done(
          `Unlocked the vaultlink agent (pid ${status.pid})${status.idleLockMinutes ? `; it locks after ${status.idleLockMinutes} minutes without a request` : ''}.`,
        );
      } finally {
        await vault.close();
      }
    });
}
