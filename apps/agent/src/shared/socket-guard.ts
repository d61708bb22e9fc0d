/**
 * Who may be trusted as "the agent": only a socket in a directory that belong to this user and
 * that no other user can read, write or replace. Node cannot ask a Unix socket for its peer's
 * uid, so the file modes are the whole access check, on both sides: the agent creates them
 * that way, and a client refuses anything else before it sends a byte (another user could
 * otherwise plant a socket and collect passphrases and values).
 */
import { lstatSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import type { Fix } from '@vault/core';

export interface GuardProblem {
  path: string;
  problem: string;
  /** What fixes it: an agent restart, or free text such as `chmod 700 DIR`. */
  fix: Fix | string;
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function mode(stats: Stats): string {
  return (stats.mode & 0o777).toString(8).padStart(3, '0');
}

/** The directory or socket belongs to another user: remove it (it is not ours to fix). */
function notYours(path: string, stats: Stats, uid: number | undefined): GuardProblem[] {
  if (uid === undefined || stats.uid === uid) return [];
  return [
    {
      path,
      problem: `belongs to uid ${stats.uid}, not to you (uid ${uid})`,
      fix: `remove ${path} (it is not yours), then vaultlink agent start`,
    },
  ];
}

/** Problems with the agent directory (and the directory holding it); empty when it may be used. */
export function directoryProblems(dir: string): GuardProblem[] {
  const uid = currentUid();
  const problems: GuardProblem[] = [];
  const stats = lstatSync(dir);
  if (!stats.isDirectory())
    return [
      {
        path: dir,
        problem: 'is not a directory (a symlink or a file was put in its place)',
        fix: `remove ${dir}, then vaultlink agent start`,
      },
    ];
  problems.push(...notYours(dir, stats, uid));
  if ((stats.mode & 0o077) !== 0)
    problems.push({ path: dir, problem: `has mode ${mode(stats)}: other users can reach it`, fix: `chmod 700 ${dir}` });
  // The parent must not let others swap our directory for theirs (a sticky /tmp is fine).
  const parent = dirname(dir);
  const parentStats = lstatSync(parent);
  const sticky = (parentStats.mode & 0o1000) !== 0;
  if (!sticky && (parentStats.mode & 0o022) !== 0) {
    problems.push({
      path: parent,
      problem: `has mode ${mode(parentStats)}: other users can replace the agent directory in it`,
      fix: `chmod go-w ${parent}`,
    });
  }
  if (uid !== undefined && parentStats.uid !== uid && parentStats.uid !== 0 && !sticky) {
    problems.push({
      path: parent,
      problem: `belongs to uid ${parentStats.uid}, who could replace the agent directory`,
      fix: `use a VAULTLINK_HOME that you own`,
    });
  }
  return problems;
}

/**
 * Node 20's fs.realpathSync (used to resolve every module) reads the file type of the *last*
 * stat the process made from a shared buffer, and stops resolving symlinks when that was a
 * socket or a FIFO: a module imported after stat-ing the agent socket is then loaded through
 * its symlinked path and cannot find its own dependencies (seen with pnpm installs). So every
 * stat of a socket here is followed by one of a directory.
 */
export function lstatSocket(socket: string): Stats {
  try {
    return lstatSync(socket);
  } finally {
    lstatSync(dirname(socket), { throwIfNoEntry: false });
  }
}

/** Problems with the socket itself; empty when it may be used. Throws ENOENT when there is none. */
export function socketProblems(socket: string): GuardProblem[] {
  const uid = currentUid();
  const stats = lstatSocket(socket);
  const problems: GuardProblem[] = [];
  if (!stats.isSocket()) return [{ path: socket, problem: 'is not a socket', fix: `remove ${socket}, then vaultlink agent start` }];
  problems.push(...notYours(socket, stats, uid));
  if ((stats.mode & 0o077) !== 0)
    problems.push({
      path: socket,
      problem: `has mode ${mode(stats)}: other users can connect to it`,
      fix: { action: 'agent', command: 'restart', hint: 'it creates the socket with mode 600' },
    });
  return problems;
}
