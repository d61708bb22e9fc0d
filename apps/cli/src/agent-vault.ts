/**
 * The CLI as a client of the agent: finding it (or starting it, when the mode allows),
 * handing commands a VaultApi it serves, and unlocking it when it answers VAULT_LOCKED
 * with VAULTLINK_KEY, VAULTLINK_PASSPHRASE, the OS keychain or, on a terminal, a prompt.
 * The agent client is imported only when a command needs the vault.
 */
import { dirname, resolve } from 'node:path';
import { ERROR_CODES, TEAM_CONFIG_ENV, VaultError, takePassphraseFromEnv, vaultExists, type VaultApi } from '@vault/core';
import type { AgentConnection, AgentPaths, RemoteVault, RequestContext } from '@vault/agent/client';
import { mayStartAgent } from './agent-mode.js';
import type { CliContext } from './context.js';
import { asVaultError } from './errors.js';

type AgentClient = typeof import('@vault/agent/client');

/** The agent client, building its errors with this CLI's @vault/core (so `instanceof` holds). */
export async function loadAgentClient(): Promise<AgentClient> {
  const client = await import('@vault/agent/client');
  client.useCore({ VaultError, ERROR_CODES });
  return client;
}

/** Where this command runs: the agent resolves provider packages and the team config from here. */
export function requestContext(env: Readonly<Record<string, string | undefined>>): RequestContext {
  const cwd = process.cwd();
  const script = process.argv[1];
  const teamConfig = env[TEAM_CONFIG_ENV];
  return { cwd, resolveFrom: [cwd, ...(script ? [dirname(resolve(script))] : [])], ...(teamConfig ? { teamConfig } : {}) };
}

/**
 * The agent's VaultApi for this command: requests carry where it runs, and store warnings the
 * agent meets for them (a rolled-back vault file) are printed as in-process ones are.
 */
export function remoteVault(
  ctx: CliContext,
  client: AgentClient,
  connect: () => Promise<AgentConnection>,
  onLocked?: (error: VaultError) => Promise<boolean>,
): RemoteVault {
  return new client.RemoteVault({
    connect,
    context: requestContext(ctx.env),
    onWarning: (warning) => ctx.warn(warning.message),
    ...(onLocked ? { onLocked } : {}),
  });
}

/** A connection to the running agent, or undefined when none answers. Insecure sockets throw. */
export async function findAgent(client: AgentClient, paths: AgentPaths): Promise<AgentConnection | undefined> {
  try {
    return await client.AgentConnection.open(paths);
  } catch (error) {
    if (error instanceof client.AgentNotRunning) return undefined;
    throw await client.connectError(error, paths.socket);
  }
}

/** The agent client, this vault's agent paths, and a connection when an agent answers. */
export async function locateAgent(
  ctx: CliContext,
): Promise<{ client: AgentClient; paths: AgentPaths; connection: AgentConnection | undefined }> {
  const client = await loadAgentClient();
  const paths = client.agentPathsFor(ctx.env);
  return { client, paths, connection: await findAgent(client, paths) };
}

/**
 * The agent's VaultApi for this command, or undefined to run in-process: the mode is `off`,
 * or no agent runs and this command may not start one (or there is no vault to serve yet).
 */
export async function openAgentVault(ctx: CliContext): Promise<VaultApi | undefined> {
  if (ctx.agentMode === 'off') return undefined;
  const { client, paths, connection } = await locateAgent(ctx);
  let first = connection;
  if (!first) {
    if (!mayStartAgent(ctx.agentMode, ctx.env, ctx.io.interactive)) return undefined;
    if (!(await vaultExists({ env: ctx.env }))) return undefined; // in-process reports VAULT_NOT_INITIALIZED
    await startForCommand(ctx, client, paths);
    first = await client.AgentConnection.open(paths).catch(async (error: unknown) =>
      Promise.reject(await client.connectError(error, paths.socket)),
    );
  }
  let handed = false;
  const connect = async (): Promise<AgentConnection> => {
    if (!handed && first) {
      handed = true;
      return first;
    }
    return client.AgentConnection.open(paths).catch(async (error: unknown) =>
      Promise.reject(await client.connectError(error, paths.socket)),
    );
  };
  const vault: RemoteVault = remoteVault(ctx, client, connect, () => unlockAgent(ctx, vault, { prompt: true }));
  return vault;
}

async function startForCommand(ctx: CliContext, client: AgentClient, paths: AgentPaths): Promise<void> {
  const started = await client.startAgent({ paths, env: ctx.env, cwd: process.cwd() });
  if (started.started) {
    ctx.info(
      `Started the vaultlink agent (pid ${started.pid}); it keeps the vault unlocked and its cache for every command, and locks when idle. \`vaultlink agent stop\` stops it.`,
    );
  }
}

/**
 * Unlocks the agent with what this process has: VAULTLINK_KEY, VAULTLINK_PASSPHRASE, then the
 * OS keychain (the agent tries it when given nothing), then a prompt on a terminal. Resolves
 * false when none of them is there (the caller reports the lock); a wrong key throws.
 */
export async function unlockAgent(ctx: CliContext, vault: RemoteVault, options: { prompt: boolean }): Promise<boolean> {
  const key = nonEmpty(ctx.env.VAULTLINK_KEY);
  // Taken out of the process environment once read, as the store does in-process.
  const passphrase = nonEmpty(takePassphraseFromEnv(ctx.env));
  if (key || passphrase) {
    await vault.unlock(key ? { key } : { passphrase: passphrase!, passphraseFrom: 'env' });
    return true;
  }
  try {
    await vault.unlock({});
    return true;
  } catch (error) {
    if (asVaultError(error)?.code !== 'VAULT_LOCKED') throw error;
  }
  if (!options.prompt || !ctx.io.interactive) return false;
  const typed = await ctx.io.prompt('Vault passphrase (unlocks the vaultlink agent)', { secret: true });
  if (typed === '')
    throw new VaultError('BAD_PASSPHRASE', 'No passphrase was typed; the agent stays locked.', { fix: { action: 'unlock' } });
  await vault.unlock({ passphrase: typed, passphraseFrom: 'prompt' });
  return true;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' ? value : undefined;
}
