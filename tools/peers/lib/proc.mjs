// Peer processes: each runs in its own process group (detached), logs to .peers/logs/<peer>.log,
// and is recorded in .peers/run/pids so that nothing outlives the run that started it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOGS_DIR, PIDS_DIR, RUN_DIR } from './paths.mjs';

/** Process groups started by this process that are still alive: pgid -> { name, child }. */
const live = new Map();

/**
 * Starts `cmd args` as the leader of a new process group, stdout+stderr to the peer's log file.
 * `owner` is recorded so a later run can tell an orphan (owner dead) from a peer that is in use.
 */
export function spawnPeer(name, cmd, args, { env = process.env, cwd, owner = process.pid } = {}) {
  fs.mkdirSync(LOGS_DIR, { recursive: true });
  fs.mkdirSync(PIDS_DIR, { recursive: true });
  // <peer>.log, unless another live run (a second with-peers, detached peers) is writing that one.
  const busy = readPidRecords().some(
    (r) => r.name === name && r.owner !== owner && (r.owner === 'detached' || isAlive(r.owner)) && isAlive(r.pgid),
  );
  const logFile = path.join(LOGS_DIR, busy ? `${name}-${owner}.log` : `${name}.log`);
  const fd = fs.openSync(logFile, 'w');
  fs.writeSync(fd, `# ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
  let child;
  try {
    child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A spawn failure (ENOENT...) emits 'error' and may never emit 'exit'.
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  const proc = { name, pid: child.pid, child, logFile, exited, exitInfo: undefined };
  exited.then((info) => {
    proc.exitInfo = info;
  });
  if (child.pid) {
    live.set(child.pid, proc);
    writePidRecord(child.pid, { name, owner, cmd, startedAt: Date.now() });
  }
  return proc;
}

/** Marks a process as no longer owned by this process (for `peers up --detach`). */
export function release(proc, newOwner) {
  live.delete(proc.pid);
  proc.child.unref();
  writePidRecord(proc.pid, { name: proc.name, owner: newOwner, cmd: '', startedAt: Date.now() });
}

function writePidRecord(pgid, record) {
  fs.writeFileSync(path.join(PIDS_DIR, `${pgid}.json`), JSON.stringify({ pgid, ...record }));
}

function removePidRecord(pgid) {
  fs.rmSync(path.join(PIDS_DIR, `${pgid}.json`), { force: true });
}

/** Records the command run under the peers, so the watchdog can stop it if its owner is killed. */
export function recordCommand(pid, owner = process.pid) {
  fs.mkdirSync(PIDS_DIR, { recursive: true });
  writePidRecord(pid, { name: 'command', kind: 'command', owner, startedAt: Date.now() });
}

export const forgetRecord = removePidRecord;

let watchdogStarted = false;
/**
 * Starts lib/watchdog.mjs for this process: it stops this process's peers if this process dies
 * without running its exit handlers (SIGKILL). It exits by itself once this process is gone.
 */
export function startWatchdog() {
  if (watchdogStarted) return;
  watchdogStarted = true;
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'watchdog.mjs');
  spawn(process.execPath, [script, String(process.pid)], { detached: true, stdio: 'ignore' }).unref();
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (error.code === 'ESRCH') return false;
    throw error;
  }
}

/** SIGTERM the group, wait up to graceMs for the leader, then SIGKILL whatever is left of the group. */
export async function stopPeer(proc, graceMs = 5_000) {
  if (!proc?.pid) return;
  if (killGroup(proc.pid, 'SIGTERM') && !proc.exitInfo) {
    let timer;
    await Promise.race([proc.exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
  killGroup(proc.pid, 'SIGKILL');
  live.delete(proc.pid);
  removePidRecord(proc.pid);
}

/** Synchronous last resort for process 'exit': SIGKILL every group this process still owns. */
export function killAllNow() {
  for (const proc of live.values()) {
    killGroup(proc.pid, 'SIGKILL');
    removePidRecord(proc.pid);
  }
  live.clear();
}

/** Stops a group recorded in .peers/run/pids (used by `peers down` and the orphan reaper). */
export async function stopRecordedGroup(pgid, graceMs = 5_000) {
  if (killGroup(pgid, 'SIGTERM')) {
    const deadline = Date.now() + graceMs;
    while (isAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
  killGroup(pgid, 'SIGKILL');
  removePidRecord(pgid);
}

export function readPidRecords() {
  if (!fs.existsSync(PIDS_DIR)) return [];
  return fs
    .readdirSync(PIDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      try {
        return JSON.parse(fs.readFileSync(path.join(PIDS_DIR, f), 'utf8'));
      } catch (error) {
        // A half-written record is useless; say so instead of hiding it, then drop it.
        console.error(`[peers] ignoring unreadable pid record ${f}: ${error.message}`);
        fs.rmSync(path.join(PIDS_DIR, f), { force: true });
        return null;
      }
    })
    .filter(Boolean);
}

/**
 * Kills peer groups left by a run that died without cleaning up (SIGKILL, crash): their owner
 * process is gone. Groups owned by a live process (another run, `peers up`) are left alone.
 */
export async function reapOrphans(log = console.error) {
  // Owner 'detached' = started by `peers up --detach`: only `peers down` stops those.
  const orphans = readPidRecords().filter((r) => typeof r.owner === 'number' && !isAlive(r.owner));
  for (const record of orphans) {
    if (record.kind === 'command') {
      // A command run under a dead with-peers: not a process group of ours, stop just the process.
      if (isAlive(record.pgid)) log(`[peers] stopping orphaned command (pid ${record.pgid}) of dead run ${record.owner}`);
      killPid(record.pgid, 'SIGTERM');
      removePidRecord(record.pgid);
      continue;
    }
    if (isAlive(record.pgid)) log(`[peers] stopping orphaned ${record.name} (pgid ${record.pgid}) left by dead run ${record.owner}`);
    await stopRecordedGroup(record.pgid, 2_000);
  }
  removeStaleRunDirs();
  return orphans.length;
}

/** Deletes .peers/run/<pid> state dirs whose run is gone (its pid is dead). */
export function removeStaleRunDirs() {
  if (!fs.existsSync(RUN_DIR)) return;
  for (const entry of fs.readdirSync(RUN_DIR)) {
    if (/^\d+$/.test(entry) && !isAlive(Number(entry))) fs.rmSync(path.join(RUN_DIR, entry), { recursive: true, force: true });
  }
}

function killPid(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/** The last `count` lines of a log file, for failure messages. */
export function tailLog(logFile, count = 40) {
  try {
    const lines = fs.readFileSync(logFile, 'utf8').split('\n');
    return lines
      .slice(-count - 1)
      .join('\n')
      .trimEnd();
  } catch (error) {
    return `(no log: ${error.message})`;
  }
}
