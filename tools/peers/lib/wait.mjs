// Readiness waits: poll until a check passes, fail fast if the process died, fail clearly on timeout.
import net from 'node:net';
import { tailLog } from './proc.mjs';

export class PeerStartError extends Error {
  constructor(peer, reason, logFile) {
    const tail = logFile ? `\n--- last 40 lines of ${logFile} ---\n${tailLog(logFile, 40)}\n--- end of ${peer} log ---` : '';
    super(`[peers] ${peer} did not start: ${reason}${tail}`);
    this.name = 'PeerStartError';
    this.peer = peer;
    this.logFile = logFile;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check()` (truthy = ready) every intervalMs until timeoutMs. Throws PeerStartError naming the
 * peer, the reason (exit code or timeout plus the last check error) and the tail of its log.
 */
export async function waitUntilReady(proc, check, { timeoutMs = 60_000, intervalMs = 200, what = 'ready' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (proc.exitInfo) {
      const { code, signal, error } = proc.exitInfo;
      const why = error ? `could not be spawned (${error.message})` : `exited early (code ${code}, signal ${signal})`;
      throw new PeerStartError(proc.name, why, proc.logFile);
    }
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const detail = lastError ? `; last check error: ${lastError.cause?.code ?? lastError.message}` : '';
  throw new PeerStartError(proc.name, `not ${what} after ${timeoutMs / 1000}s${detail}`, proc.logFile);
}

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** fetch with a per-request timeout, so a hung peer cannot hang the readiness loop. */
export async function fetchWithTimeout(url, init = {}, timeoutMs = 3_000) {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}
