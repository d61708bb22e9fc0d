/**
 * Runs one agent for one vault home: binds the socket (or finds a live agent already there),
 * serves until `stop`, SIGTERM/SIGINT, or until its socket is removed or replaced (its home
 * was deleted, or a newer agent took over a socket it could not probe), then locks (zeroing
 * the key) and removes its socket.
 */
import { unlinkSync } from 'node:fs';
import { agentPaths, type AgentPaths } from '../shared/paths.js';
import { lstatSocket } from '../shared/socket-guard.js';
import { listenExclusive } from './listen.js';
import { fileLog, type AgentLog } from './log.js';
import { AgentService } from './service.js';
import { createAgentServer } from './socket-server.js';

export interface RunAgentOptions {
  /** The vault directory (VAULTLINK_HOME). */
  home: string;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Minutes without requests before it locks; 0 never. @default 10 */
  idleLockMinutes?: number;
  cacheMaxEntries?: number;
  /** @default a file log next to the socket */
  log?: AgentLog;
  version?: string;
}

export type RunningAgent =
  | { running: true; pid: number; paths: AgentPaths; service: AgentService; stop(reason?: string): Promise<void>; stopped: Promise<void> }
  | { running: false; pid: number | undefined; paths: AgentPaths };

const SOCKET_CHECK_MS = 2_000;

export async function runAgent(options: RunAgentOptions): Promise<RunningAgent> {
  const env = options.env ?? process.env;
  const paths = agentPaths(options.home, env);
  let log: AgentLog | undefined = options.log;
  let stopRequested: (() => void) | undefined;
  const service = new AgentService({
    paths,
    env,
    cwd: options.cwd ?? process.cwd(),
    version: options.version ?? 'unknown',
    ...(options.idleLockMinutes !== undefined ? { idleLockMinutes: options.idleLockMinutes } : {}),
    ...(options.cacheMaxEntries !== undefined ? { cacheMaxEntries: options.cacheMaxEntries } : {}),
    log: { event: (name, fields) => log?.event(name, fields) },
    onStop: () => stopRequested?.(),
  });
  const { server, closeAll } = createAgentServer(service, { event: (name, fields) => log?.event(name, fields) });
  const bound = await listenExclusive(server, paths);
  if (!bound.listening) return { running: false, pid: bound.pid, paths };
  log ??= fileLog(paths.log);
  const socketIno = lstatSocket(paths.socket).ino;
  log.event('started', { pid: process.pid, version: options.version, socket: paths.socket, idleLockMinutes: service.idleLockMinutes });

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (reason = 'request'): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(watchdog);
      await service.lock('stop');
      server.close();
      // Our socket only: a newer agent may own the path by now.
      if (socketStillOurs(paths.socket, socketIno)) unlinkSync(paths.socket);
      setTimeout(closeAll, 200).unref();
      log?.event('stopped', { reason });
      resolveStopped();
    })();
    return stopping;
  };
  stopRequested = () => void stop('request');
  const watchdog = setInterval(() => {
    if (!socketStillOurs(paths.socket, socketIno)) void stop('socket-gone');
  }, SOCKET_CHECK_MS);
  watchdog.unref();
  return { running: true, pid: process.pid, paths, service, stop, stopped };
}

function socketStillOurs(socket: string, ino: number): boolean {
  try {
    return lstatSocket(socket).ino === ino;
  } catch {
    return false;
  }
}
