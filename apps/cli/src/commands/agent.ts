import type { Command } from 'commander';
import { VaultError } from '@vault/core';
import type { AgentPaths, AgentStatus } from '@vault/agent/client';
import { loadAgentClient, locateAgent, remoteVault, unlockAgent } from '../agent-vault.js';
import type { CliContext } from '../context.js';
import { keyValues, table } from '../output.js';
import { parseMinutes } from './config.js';

/**
 * `agent start [--foreground] [--idle-lock MIN]`, `agent stop`, `agent status`. The agent
 * serves one vault (VAULTLINK_HOME) on a private socket; see the README's "The agent".
 */
export function registerAgent(program: Command, ctx: CliContext): void {
  const agent = program
    .command('agent')
    .description('the vaultlink agent: one unlocked vault, its sessions and cache, shared by every command');

  agent
    .command('start')
    .description(
      'start the agent for this vault (it unlocks now when VAULTLINK_PASSPHRASE, VAULTLINK_KEY or the OS keychain can; else on the next command)',
    )
    .option('--foreground', 'stay in the foreground, logging to stderr, until Ctrl-C')
    .option('--idle-lock <minutes>', 'lock after this many minutes without a request (0: never)', '10')
    .action(async (options: { foreground?: boolean; idleLock: string }) => {
      const idleLockMinutes = parseMinutes(options.idleLock, '--idle-lock');
      const client = await loadAgentClient();
      const paths = client.agentPathsFor(ctx.env);
      if (options.foreground) {
        ctx.setExitCode(await runInForeground(ctx, paths, idleLockMinutes));
        return;
      }
      const started = await client.startAgent({ paths, env: ctx.env, cwd: process.cwd(), idleLockMinutes });
      if (!started.started) {
        if (ctx.json) ctx.outJson({ started: false, pid: started.pid, socket: paths.socket });
        ctx.info(`An agent is already running for ${paths.home} (pid ${started.pid}); it was left as it is.`);
        return;
      }
      const vault = remoteVault(ctx, client, () => client.AgentConnection.open(paths));
      const unlocked = await unlockAgent(ctx, vault, { prompt: false }).finally(() => vault.close());
      if (ctx.json) ctx.outJson({ started: true, pid: started.pid, locked: !unlocked, socket: paths.socket, log: paths.log });
      ctx.done(`Started the vaultlink agent (pid ${started.pid}) on ${paths.socket}.`);
      ctx.info(
        unlocked
          ? `It is unlocked and locks after ${idleLockMinutes === 0 ? 'never (no idle lock)' : `${idleLockMinutes} minutes without a request`}.`
          : 'It is locked: the next command asks for the passphrase on a terminal, or run `vaultlink unlock`.',
      );
    });

  agent
    .command('stop')
    .description('stop the agent: its key, sessions in memory and cache are dropped')
    .action(async () => {
      const { client, paths, connection } = await locateAgent(ctx);
      if (!connection) {
        if (ctx.json) ctx.outJson({ stopped: false });
        ctx.info(`No agent is running for ${paths.home}.`);
        return;
      }
      connection.close();
      const { pid } = await client.stopAgent(paths);
      if (ctx.json) ctx.outJson({ stopped: true, pid });
      ctx.done(`Stopped the vaultlink agent (pid ${pid}); its key and cache are gone.`);
    });

  agent
    .command('status')
    .description('pid, uptime, locked or not, sessions and their expiry, cached names and ages (never values)')
    .action(async () => {
      const { paths, connection } = await locateAgent(ctx);
      if (!connection) {
        throw new VaultError('AGENT_UNAVAILABLE', `No vaultlink agent is running for ${paths.home}.`, {
          fix: { action: 'agent', command: 'start' },
          details: { socket: paths.socket, reason: 'not-running' },
        });
      }
      let status: AgentStatus;
      try {
        status = await connection.request<AgentStatus>('status');
      } finally {
        connection.close();
      }
      if (ctx.json) ctx.outJson(status);
      else ctx.out(renderStatus(status, paths));
    });
}

function renderStatus(status: AgentStatus, paths: AgentPaths): string {
  const uptime = `${Math.floor(status.uptimeSeconds / 3600)}h ${Math.floor((status.uptimeSeconds % 3600) / 60)}m ${status.uptimeSeconds % 60}s`;
  let text = keyValues([
    ['pid', String(status.pid)],
    ['version', `${status.version} (protocol ${status.protocol})`],
    ['uptime', uptime],
    ['vault', status.home],
    ['socket', status.socket],
    ['log', paths.log],
    ['state', status.locked ? 'locked' : 'unlocked'],
    [
      'idle lock',
      status.idleLockMinutes === 0 ? 'never' : `${status.idleLockMinutes} minutes${status.locksAt ? ` (locks at ${status.locksAt})` : ''}`,
    ],
    [
      'cache expiry',
      status.cache.expiryMinutes === null
        ? undefined
        : status.cache.expiryMinutes === 0
          ? '0 (caching disabled)'
          : `${status.cache.expiryMinutes} minutes`,
    ],
    ['upstream reads', String(status.upstreamReads)],
    ['memory', `${status.memory.rssMiB} MiB resident (peak ${status.memory.peakRssMiB} MiB)`],
  ]);
  if (status.providers.length > 0) {
    text += `\nsessions:\n${table(
      ['PROVIDER', 'ORGANIZATION', 'PRINCIPAL', 'EXPIRES', 'RENEWS'],
      status.providers.map((p) => [
        p.provider,
        p.organization,
        p.principal,
        p.expiresAt === null ? 'never' : p.expired ? `expired ${p.expiresAt}` : p.expiresAt,
        p.renewsAt ?? '-',
      ]),
    )}`;
  }
  if (!status.locked) {
    text += `\ncache (${status.cache.entries.length} of at most ${status.cache.maxEntries} values):\n`;
    text += status.cache.entries.length
      ? table(
          ['NAMES', 'PROVIDER', 'AGE', 'EXPIRES IN'],
          status.cache.entries.map((e) => [
            e.names.join(', ') || '(no name links it now)',
            e.provider,
            `${e.ageSeconds}s`,
            `${e.expiresInSeconds}s`,
          ]),
        )
      : '(empty)\n';
  }
  return text;
}

async function runInForeground(ctx: CliContext, paths: AgentPaths, idleLockMinutes: number): Promise<number> {
  const { runAgent, streamLog, AGENT_VERSION } = await import('@vault/agent');
  const env: Record<string, string | undefined> = { ...ctx.env };
  const unlock = { passphrase: env.VAULTLINK_PASSPHRASE, key: env.VAULTLINK_KEY };
  delete env.VAULTLINK_PASSPHRASE;
  delete env.VAULTLINK_KEY;
  const agent = await runAgent({
    home: paths.home,
    env,
    cwd: process.cwd(),
    idleLockMinutes,
    version: AGENT_VERSION,
    log: streamLog((line) => ctx.streams.stderr.write(line)),
  });
  if (!agent.running) {
    ctx.info(`An agent is already running for ${paths.home} (pid ${agent.pid ?? '?'}).`);
    return 0;
  }
  ctx.info(`The vaultlink agent (pid ${agent.pid}) listens on ${paths.socket}; Ctrl-C stops it.`);
  if (unlock.key || unlock.passphrase) {
    await agent.service
      .unlock(unlock.key ? { key: unlock.key } : { passphrase: unlock.passphrase!, passphraseFrom: 'env' })
      .catch((error: unknown) => {
        ctx.warn(
          `could not unlock with ${unlock.key ? 'VAULTLINK_KEY' : 'VAULTLINK_PASSPHRASE'}: ${(error as Error).message.split('\n')[0]}`,
        );
      });
  }
  const stop = (): void => void agent.stop('signal');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await agent.stopped;
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
  return 0;
}
