/**
 * Who can talk to the agent: only this user. The socket is 0600 in a 0700 directory; a client
 * refuses a socket or directory with group/other bits or another owner before sending anything;
 * and another Unix user (a throwaway account made with useradd, as CI runs as root) cannot
 * connect even when every directory above the agent's is open to them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AgentConnection, AgentInsecure, agentPaths, connectError, startAgent } from '../dist/client.js';
import { createTestAgent, type TestAgent } from './helpers/agent.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let agent: TestAgent;

afterEach(async () => {
  await agent?.cleanup();
});

describe('socket and directory modes', () => {
  it('the agent creates its directory 0700 and its socket 0600', async () => {
    agent = await createTestAgent();
    expect(statSync(agent.paths.dir).mode & 0o777).toBe(0o700);
    expect(statSync(agent.paths.socket).mode & 0o777).toBe(0o600);
    expect(statSync(agent.paths.socket).isSocket()).toBe(true);
  });

  it('a client refuses a socket whose mode lets others connect, naming the path, the mode and the fix', async () => {
    agent = await createTestAgent();
    chmodSync(agent.paths.socket, 0o666);
    const error = await AgentConnection.open(agent.paths).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentInsecure);
    const reported = await connectError(error, agent.paths.socket);
    expect(reported.code).toBe('AGENT_UNAVAILABLE');
    expect(reported.message).toContain(`${agent.paths.socket} has mode 666`);
    expect(reported.fix).toEqual({ action: 'agent', command: 'restart', hint: 'it creates the socket with mode 600' });
  });

  it('a client refuses an agent directory with group or other bits', async () => {
    agent = await createTestAgent();
    chmodSync(agent.paths.dir, 0o755);
    const error = await AgentConnection.open(agent.paths).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentInsecure);
    expect((error as AgentInsecure).problems[0]).toMatchObject({ path: agent.paths.dir, fix: `chmod 700 ${agent.paths.dir}` });
  });

  it('a client refuses a symlink planted where the agent directory belongs', async () => {
    agent = await createTestAgent({ start: false });
    mkdirSync(join(agent.root, 'elsewhere'), { mode: 0o700 });
    execFileSync('ln', ['-s', join(agent.root, 'elsewhere'), agent.paths.dir]);
    const error = await AgentConnection.open(agent.paths).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentInsecure);
    expect((error as AgentInsecure).message).toContain('is not a directory');
  });
});

describe.runIf(isRoot)('another Unix user', () => {
  const user = `vlagent${process.pid}`;
  let uid = 0;
  let gid = 0;

  beforeAll(() => {
    execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    gid = Number(execFileSync('id', ['-g', user]).toString().trim());
  });
  afterAll(() => {
    spawnSync('userdel', [user]);
  });

  /** Runs a connect attempt to `socket` as the other user; returns the errno code or 'connected'. */
  function connectAs(socket: string, probeDir: string): string {
    const script = join(probeDir, 'probe.cjs');
    writeFileSync(
      script,
      `const s=require('net').createConnection(${JSON.stringify(socket)});s.on('connect',()=>{console.log('connected');s.destroy()});s.on('error',e=>console.log(e.code));`,
      { mode: 0o644 },
    );
    const result = spawnSync(process.execPath, [script], { uid, gid, encoding: 'utf8', timeout: 10_000 });
    return result.stdout.trim() || `no output: ${result.stderr}`;
  }

  /**
   * Makes the directories above `dir` traversable by others for this test (the test run's private
   * temp folder is 0700), restoring their modes when the test ends.
   */
  function traversableAbove(dir: string): void {
    for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
      const mode = statSync(parent).mode & 0o7777;
      if ((mode & 0o001) !== 0) continue;
      chmodSync(parent, mode | 0o001);
      onTestFinished(() => chmodSync(parent, mode));
    }
  }

  it('cannot connect, even when every directory above the agent directory is open to it', async () => {
    agent = await createTestAgent();
    // Everything above the agent's own directory is readable and traversable by others.
    traversableAbove(agent.root);
    chmodSync(agent.root, 0o755);
    chmodSync(agent.home, 0o755);
    // The probe itself runs as the other user: it must be able to connect somewhere it may.
    expect(connectAs(join(agent.root, 'no-such.sock'), agent.root)).toBe('ENOENT');
    expect(connectAs(agent.paths.socket, agent.root)).toBe('EACCES');
    // Even with the agent directory traversable, the 0600 socket refuses the other user.
    chmodSync(agent.paths.dir, 0o711);
    expect(connectAs(agent.paths.socket, agent.root)).toBe('EACCES');
    chmodSync(agent.paths.dir, 0o700);
    // This user still can.
    const mine = await AgentConnection.open(agent.paths);
    expect((await mine.request<{ pid: number }>('status')).pid).toBe(agent.pid);
    mine.close();
  });

  it('an agent directory planted by the other user is refused by the client and by agent start', async () => {
    agent = await createTestAgent({ start: false });
    chmodSync(agent.root, 0o755);
    chmodSync(agent.home, 0o755);
    mkdirSync(agent.paths.dir, { mode: 0o700 });
    chownSync(agent.paths.dir, uid, gid);
    const error = await AgentConnection.open(agentPaths(agent.home)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentInsecure);
    expect((error as AgentInsecure).message).toContain(`belongs to uid ${uid}`);
    const start = await startAgent({ paths: agent.paths, env: process.env }).catch((e: unknown) => e);
    expect(start).toMatchObject({ code: 'AGENT_UNAVAILABLE' });
    expect((start as Error).message).toContain('Refusing to start the agent');
  });
});
