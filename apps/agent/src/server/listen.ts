/**
 * Binding the agent socket, once per vault home. Under a start lock (proper-lockfile, which a
 * crashed holder cannot keep forever), an existing socket is probed: one that answers belongs
 * to a live agent and this start gives way; one that refuses was left by a crash and is
 * replaced. So of two racing starts one binds and the other reports the winner's pid.
 * The directory is created 0700 and the socket 0600 (umask set around the bind, so it is
 * never reachable by others even for an instant).
 */
import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, type Server } from 'node:net';
import lockfile from 'proper-lockfile';
import { VaultError } from '@vault/core';
import type { AgentPaths } from '../shared/paths.js';
import { LineDecoder, MAX_RESPONSE_BYTES, PROTOCOL_VERSION, encode } from '../shared/protocol.js';
import { directoryProblems } from '../shared/socket-guard.js';

export type ListenResult = { listening: true } | { listening: false; pid: number | undefined };

export async function listenExclusive(server: Server, paths: AgentPaths): Promise<ListenResult> {
  prepareDirectory(paths);
  const release = await lockfile.lock(paths.socket, {
    realpath: false,
    lockfilePath: paths.startLock,
    stale: 10_000,
    retries: { retries: 100, minTimeout: 20, maxTimeout: 200 },
  });
  try {
    const live = await probe(paths.socket);
    if (live.alive) return { listening: false, pid: live.pid };
    removeStale(paths.socket);
    await bind(server, paths.socket);
    return { listening: true };
  } finally {
    await release();
  }
}

function prepareDirectory(paths: AgentPaths): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const problems = directoryProblems(paths.dir);
  if (problems.length > 0) {
    throw new VaultError(
      'AGENT_UNAVAILABLE',
      `Refusing to start the agent in ${paths.dir}: ${problems.map((p) => `${p.path} ${p.problem}`).join('; ')}.`,
      {
        fix: problems[0]!.fix,
        details: { dir: paths.dir, reason: 'insecure' },
      },
    );
  }
}

function removeStale(socket: string): void {
  try {
    unlinkSync(socket);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function bind(server: Server, socket: string): Promise<void> {
  const previous = process.umask(0o177);
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.removeListener('error', reject);
      resolve();
    });
  }).finally(() => {
    process.umask(previous);
    chmodSync(socket, 0o600);
  });
}

/**
 * Does an agent answer on `socket`? Any protocol reply counts (even of another version: that
 * agent is alive and must be stopped first); a refused connection or silence does not.
 */
export function probe(socket: string, timeoutMs = 1_500): Promise<{ alive: boolean; pid?: number }> {
  return new Promise((resolve) => {
    const connection = createConnection(socket);
    const decoder = new LineDecoder(MAX_RESPONSE_BYTES);
    const done = (result: { alive: boolean; pid?: number }): void => {
      clearTimeout(timer);
      connection.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ alive: false }), timeoutMs);
    connection.on('error', () => done({ alive: false }));
    connection.on('connect', () => connection.write(encode({ v: PROTOCOL_VERSION, type: 'request', id: 1, op: 'status' })));
    connection.on('data', (chunk: Buffer) => {
      try {
        for (const line of decoder.push(chunk)) {
          const message = JSON.parse(line) as { type?: string; result?: { pid?: unknown } };
          if (message.type === 'alive') continue;
          done({ alive: true, ...(typeof message.result?.pid === 'number' ? { pid: message.result.pid } : {}) });
          return;
        }
      } catch {
        done({ alive: true }); // something that talks: not ours to remove
      }
    });
    connection.on('close', () => done({ alive: false }));
  });
}
