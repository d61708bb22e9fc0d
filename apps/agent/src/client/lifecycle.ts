/**
 * Starting, finding and stopping the agent of one vault home, from a client process.
 * `startAgent` spawns the daemon detached, waits for it to say it listens (or that another
 * agent already does), and leaves it running; the daemon's environment is the caller's,
 * without VAULTLINK_PASSPHRASE and VAULTLINK_KEY, so a locked agent can never unlock itself.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AgentPaths } from '../shared/paths.js';
import type { AgentStatus, SerializedError } from '../shared/protocol.js';
import { AgentConnection } from './connection.js';
import { fromSerialized } from '../shared/wire-errors.js';
import { vaultError } from './errors.js';

export interface StartOptions {
  paths: AgentPaths;
  env: Readonly<Record<string, string | undefined>>;
  /** Minutes without requests before the agent locks; 0 never. @default the agent's default (10) */
  idleLockMinutes?: number;
  /** Working directory of the agent (where it resolves providers and the team config from). @default process.cwd() */
  cwd?: string;
  /** How long to wait for the agent to listen. @default 15000 */
  timeoutMs?: number;
}

export interface StartResult {
  /** False when another agent was already running (it is left as it is). */
  started: boolean;
  pid: number;
}

/** What the daemon tells its parent over the IPC channel before the parent lets go. */
export type DaemonReport =
  { type: 'ready'; pid: number } | { type: 'already-running'; pid: number } | { type: 'failed'; error: SerializedError };

export function daemonPath(): string {
  return fileURLToPath(new URL('./daemon.js', import.meta.url));
}

export function startAgent(options: StartOptions): Promise<StartResult> {
  const env: Record<string, string | undefined> = { ...options.env };
  delete env.VAULTLINK_PASSPHRASE;
  delete env.VAULTLINK_KEY;
  const args = [daemonPath(), '--home', options.paths.home];
  if (options.idleLockMinutes !== undefined) args.push('--idle-lock', String(options.idleLockMinutes));
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    env,
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return new Promise<StartResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      void vaultError(
        'AGENT_UNAVAILABLE',
        `The vaultlink agent did not start listening within ${(options.timeoutMs ?? 15_000) / 1000} s.`,
        {
          fix: `see its log at ${options.paths.log}; VAULTLINK_AGENT=off runs without the agent`,
        },
      ).then(reject);
    }, options.timeoutMs ?? 15_000);
    const finish = (): void => {
      clearTimeout(timer);
      child.removeAllListeners();
      if (child.connected) child.disconnect();
      child.unref();
    };
    child.once('message', (report: DaemonReport) => {
      finish();
      if (report.type === 'ready') resolve({ started: true, pid: report.pid });
      else if (report.type === 'already-running') resolve({ started: false, pid: report.pid });
      else void fromSerialized(report.error).then(reject);
    });
    child.once('error', (error) => {
      finish();
      void vaultError('AGENT_UNAVAILABLE', `Could not start the vaultlink agent: ${error.message}.`, {
        fix: 'check that node can run here; VAULTLINK_AGENT=off runs without the agent',
        cause: error,
      }).then(reject);
    });
    child.once('exit', (code, signal) => {
      finish();
      void vaultError('AGENT_UNAVAILABLE', `The vaultlink agent exited while starting (${signal ?? `exit ${code}`}).`, {
        fix: `see its log at ${options.paths.log}`,
      }).then(reject);
    });
  });
}

/** The agent's status, or undefined when none runs (a refused, insecure socket throws). */
export async function agentStatus(paths: AgentPaths): Promise<AgentStatus> {
  const connection = await AgentConnection.open(paths);
  try {
    return await connection.request<AgentStatus>('status');
  } finally {
    connection.close();
  }
}

/** Asks the agent to lock itself, drop its cache and exit. Resolves once it answered. */
export async function stopAgent(paths: AgentPaths): Promise<{ pid: number }> {
  const connection = await AgentConnection.open(paths);
  try {
    return await connection.request<{ pid: number }>('stop');
  } finally {
    connection.close();
  }
}
