/**
 * The agent process: `node daemon.js --home DIR [--idle-lock MIN]`, spawned detached by
 * `vaultlink agent start` (or a command that starts it). It reports over the IPC channel
 * whether it listens or another agent already does, then lets its parent go.
 */
import { parseArgs } from 'node:util';
import type { DaemonReport } from './client/lifecycle.js';
import { describeUnexpected, fileLog } from './server/log.js';
import { runAgent } from './server/run-agent.js';
import { AGENT_VERSION } from './server/version.js';
import { serializeError } from './shared/wire-errors.js';

function report(message: DaemonReport): void {
  if (process.send) process.send(message);
  if (process.connected) process.disconnect();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { home: { type: 'string' }, 'idle-lock': { type: 'string' } }, strict: true });
  if (!values.home) throw new Error('--home is required');
  // Fractions of a minute are accepted here (tests); the CLI takes whole minutes.
  const idle = values['idle-lock'] === undefined ? undefined : Number(values['idle-lock']);
  if (idle !== undefined && (!Number.isFinite(idle) || idle < 0)) throw new Error('--idle-lock takes minutes ≥ 0');
  const agent = await runAgent({ home: values.home, version: AGENT_VERSION, ...(idle !== undefined ? { idleLockMinutes: idle } : {}) });
  if (!agent.running) {
    report({ type: 'already-running', pid: agent.pid ?? 0 });
    process.exit(0);
  }
  const log = fileLog(agent.paths.log);
  process.on('uncaughtException', (error) => {
    log.event('crashed', { error: describeUnexpected(error) });
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void agent.stop(signal));
  report({ type: 'ready', pid: process.pid });
  await agent.stopped;
  process.exit(0);
}

// A failure to start is told to the parent only: the agent directory may be the reason (not ours).
main().catch((error: unknown) => {
  report({ type: 'failed', error: serializeError(error, `The agent failed to start (${describeUnexpected(error)}).`) });
  process.exit(1);
});
