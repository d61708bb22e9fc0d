/**
 * Where one vault's agent lives: `<VAULTLINK_HOME>/agent/` (0700) holding `agent.sock` (0600),
 * the start lock and the log. A Unix socket path must fit in sun_path (108 bytes on Linux,
 * 104 on macOS), so a home too deep for that gets a per-user runtime directory instead,
 * named after a hash of the home, as gpg-agent does.
 */
import { join, resolve } from 'node:path';

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
    const runtime = [env.XDG_RUNTIME_DIR, env.TMPDIR].find((d) => d && d.trim() !== '') ?? '/tmp';
    dir = join(runtime, `vaultlink-${uid}`, nameHash(absoluteHome));
  }
  return { home: absoluteHome, dir, socket: join(dir, 'agent.sock'), startLock: join(dir, 'start'), log: join(dir, 'agent.log') };
}

/**
 * A short, stable name for a directory path (cyrb53). Not a security measure: who owns the
 * directory and its mode are checked on every use. It saves loading node:crypto on the
 * lean path of every command.
 */
function nameHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
