/**
 * A temporary vault (cheap KDF) and an agent daemon for it, spawned from the BUILT package
 * (dist/daemon.js) as `vaultlink agent start` does. Everything is removed and stopped by cleanup().
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initFileStore, Vault } from '@vault/core';
import { AgentConnection, agentPaths, startAgent, stopAgent, useCore, type AgentPaths } from '../../dist/client.js';
import { ERROR_CODES, VaultError } from '@vault/core';

useCore({ VaultError, ERROR_CODES });

export interface TestAgent {
  root: string;
  home: string;
  paths: AgentPaths;
  passphrase: string;
  pid: number;
  connect(): Promise<AgentConnection>;
  /** A connection that unlocked the agent. */
  unlocked(): Promise<AgentConnection>;
  cleanup(): Promise<void>;
}

export function unique(label: string): string {
  return `${label}-${randomBytes(9).toString('base64url')}`;
}

/** A vault with `secrets` (local) and an agent serving it; `start: false` leaves the agent to the test. */
export async function createTestAgent(
  options: { secrets?: Record<string, string>; idleLockMinutes?: number; start?: boolean; env?: Record<string, string> } = {},
): Promise<TestAgent> {
  const root = await mkdtemp(join(tmpdir(), 'vaultlink-agent-test-'));
  const home = join(root, 'home');
  const passphrase = unique('passphrase');
  const store = await initFileStore({ home, env: { VAULTLINK_PASSPHRASE: passphrase }, keychain: 'off', kdf: { N: 2 ** 10 } });
  const vault = new Vault({ store });
  for (const [name, value] of Object.entries(options.secrets ?? {})) await vault.setLocal(name, value);
  const paths = agentPaths(home);
  const env = { ...process.env, VAULTLINK_KEYCHAIN: 'off', ...options.env };
  let pid = 0;
  if (options.start !== false)
    pid = (await startAgent({ paths, env, ...(options.idleLockMinutes !== undefined ? { idleLockMinutes: options.idleLockMinutes } : {}) }))
      .pid;
  const agent: TestAgent = {
    root,
    home,
    paths,
    passphrase,
    pid,
    connect: () => AgentConnection.open(paths),
    async unlocked() {
      const connection = await AgentConnection.open(paths);
      await connection.request('unlock', [{ passphrase }]);
      return connection;
    },
    async cleanup() {
      const stopped = await stopAgent(paths).then(
        () => true,
        () => false,
      );
      // The agent removes its socket and writes its last log line after it answered `stop`.
      if (stopped && agent.pid) await waitFor('the agent to exit', () => !isAlive(agent.pid), 10_000).catch(() => undefined);
      await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
  return agent;
}

/** Resolves when `check` holds, polling; rejects after `timeoutMs` naming what was awaited. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
