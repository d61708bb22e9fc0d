/**
 * Where one vault's agent lives: `<VAULTLINK_HOME>/agent/` (0700) holding `agent.sock` (0600),
 * the start lock and the log. A Unix socket path must fit in sun_path (108 bytes on Linux,
 * 104 on macOS), so a home too deep for that gets a per-user runtime directory instead,
 * named after a hash of the home, as gpg-agent does.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultVaultHome } from '@vault/core/paths';

/** Longest socket path we bind: under both platforms' sun_path limits, with room to spare. */
const MAX_SOCKET_PATH = 100;

export interface AgentPaths {
  /** The vault directory the agent serves. */
  home: string;
  /** Private directory of the agent (0700). */
  dir: string;
  socket: string;
  /** Held while an agent checks for a live one and binds, so two starts cannot both bind. */
  startLock: string;
  log: string;
}

export function agentPaths(home: string, env: Readonly<Record<string, string | undefined>> = process.env): AgentPaths {
  const absoluteHome = resolve(home);
  let dir = join(absoluteHome, 'agent');
  if (join(dir, 'agent.sock').length > MAX_SOCKET_PATH) {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
    const runtime = env.XDG_RUNTIME_DIR && env.XDG_RUNTIME_DIR.trim() !== '' ? env.XDG_RUNTIME_DIR : tmpdir();
    const digest = createHash('sha256').update(absoluteHome).digest('hex').slice(0, 16);
    dir = join(runtime, `vaultlink-${uid}`, digest);
  }
  return { home: absoluteHome, dir, socket: join(dir, 'agent.sock'), startLock: join(dir, 'start'), log: join(dir, 'agent.log') };
}

/** The agent paths for the vault home an environment points at (VAULTLINK_HOME, else the XDG default). */
export function agentPathsFor(env: Readonly<Record<string, string | undefined>>): AgentPaths {
  return agentPaths(defaultVaultHome({ ...env }), env);
}
