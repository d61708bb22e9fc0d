/**
 * The agent process: `node daemon.js --home DIR [--idle-lock MIN]`, spawned detached by
 * `vaultlink agent start` (or a command that starts it). It reports over the IPC channel
 * whether it listens or another agent already does, then lets its parent go.
 */
import { parseArgs } from 'node:util';
import type { DaemonReport } from './client/lifecycle.js';
import { fileLog } from './server/log.js';
import { runAgent } from './server/run-agent.js';
import { AGENT_VERSION } from './server/version.js';
import { serializeError } from './shared/wire-errors.js';
import { agentPaths } from './shared/paths.js';
import { describeUnexpected } from './server/log.js';

function report(message: DaemonReport): void {
  if (process.send) process.send(message);
  if (process.connected) process.disconnect();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { home: { type: 'string' }, 'idle-lock': { type: 'string' } }, strict: true });
  if (!values.home) throw new Error('--home is required');
  const idle = values['idle-lock'] === undefined ? undefined : Number(values['idle-lock']);
  if (idle !== undefined && (!Number.isSafeInteger(idle) || idle < 0)) throw new Error('--idle-lock takes whole minutes ≥ 0');
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

main().catch((error: unknown) => {
  report({ type: 'failed', error: serializeError(error, `The agent failed to start (${describeUnexpected(error)}).`) });
  try {
    const home = process.argv[process.argv.indexOf('--home') + 1];
    if (home) fileLog(agentPaths(home).log).event('start-failed', { error: describeUnexpected(error) });
  } catch {
    // nowhere to log
  }
  process.exit(1);
});
