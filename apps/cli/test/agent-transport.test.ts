/**
 * The agent's protocol has no network listener (issue 14): a started agent (no UI) holds a Unix
 * socket and no TCP or UDP socket at all, read from /proc (its fds' socket inodes against the
 * kernel's socket tables). The same check then sees the UI's listener once `vaultlink ui` asks for
 * it, on 127.0.0.1 only, which shows the check finds listeners. `agent status --json` reports a
 * plausible uptime that grows.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from './helpers/leaks.js';
import { createSandbox, type Sandbox } from './helpers/sandbox.js';

interface Status {
  pid: number;
  startedAt: string;
  uptimeSeconds: number;
  socket: string;
}

interface InetSocket {
  table: string;
  /** Kernel state: 0A is LISTEN for TCP; 07 is an unconnected (bound) UDP socket. */
  state: string;
  local: string;
}

/** Inodes of the sockets a process holds open (its fds that read `socket:[N]`). */
async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''); // an fd closed meanwhile
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]!);
  }
  return inodes;
}

/** "0100007F:1F90" (tcp) → "127.0.0.1:8080"; IPv6 addresses are left in the kernel's hex. */
function address(hex: string): string {
  const [ip, port] = hex.split(':') as [string, string];
  const host =
    ip.length === 8
      ? ip
          .match(/../g)!
          .reverse()
          .map((byte) => parseInt(byte, 16))
          .join('.')
      : ip;
  return `${host}:${parseInt(port, 16)}`;
}

/** The TCP and UDP sockets (IPv4 and IPv6) of the process's network namespace that the process holds. */
async function inetSockets(pid: number): Promise<InetSocket[]> {
  const held = await socketInodes(pid);
  const found: InetSocket[] = [];
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const lines = (await readFile(`/proc/${pid}/net/${table}`, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (held.has(fields[9]!)) found.push({ table, state: fields[3]!, local: address(fields[1]!) });
    }
  }
  return found;
}

/** Paths of the Unix sockets the process holds (bound ones have a path). */
async function unixSocketPaths(pid: number): Promise<string[]> {
  const held = await socketInodes(pid);
  const lines = (await readFile(`/proc/${pid}/net/unix`, 'utf8')).trim().split('\n').slice(1);
  return lines
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => held.has(fields[6]!) && fields[7])
    .map((fields) => fields[7]!);
}

describe('the agent listens on no network socket', () => {
  let sandbox: Sandbox;
  let startedBefore: number;
  let first: Status;

  const status = async (): Promise<Status> => JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'])).stdout) as Status;

  beforeAll(async () => {
    sandbox = await createSandbox();
    startedBefore = Date.now();
    ok(await sandbox.run(['agent', 'start']));
    first = await status();
  });
  afterAll(async () => {
    await sandbox.run(['agent', 'stop']);
    await sandbox.cleanup();
  });

  it('a started agent holds its Unix socket and no TCP or UDP socket', async () => {
    expect(await unixSocketPaths(first.pid)).toContain(first.socket);
    expect(first.socket.startsWith(sandbox.home)).toBe(true);
    expect(await inetSockets(first.pid)).toEqual([]);
  });

  it('agent status --json reports a plausible uptime that grows', async () => {
    const startedAt = Date.parse(first.startedAt);
    expect(startedAt).toBeGreaterThanOrEqual(startedBefore - 1000);
    expect(first.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(first.uptimeSeconds).toBeLessThanOrEqual(Math.ceil((Date.now() - startedBefore) / 1000) + 1);
    // Poll (no fixed sleep) until the agent has been up a second longer than the first answer said.
    let later = await status();
    for (
      const deadline = Date.now() + 30_000;
      later.uptimeSeconds <= first.uptimeSeconds && Date.now() < deadline;
      later = await status()
    ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(later.uptimeSeconds).toBeGreaterThan(first.uptimeSeconds);
    expect(later.uptimeSeconds).toBeLessThanOrEqual(Math.ceil((Date.now() - startedBefore) / 1000) + 1);
    expect(later.pid).toBe(first.pid);
    expect(later.startedAt).toBe(first.startedAt);
  });

  it("the same check sees the web UI's listener once `vaultlink ui` asks for it: TCP on 127.0.0.1 only", async () => {
    const link = JSON.parse(ok(await sandbox.run(['ui', '--no-browser', '--json'])).stdout) as { port: number };
    const listening = (await inetSockets(first.pid)).filter((socket) => socket.state === '0A');
    expect(listening).toEqual([{ table: 'tcp', state: '0A', local: `127.0.0.1:${link.port}` }]);
    expect((await inetSockets(first.pid)).filter((socket) => socket.table.startsWith('udp'))).toEqual([]);
  });
});
