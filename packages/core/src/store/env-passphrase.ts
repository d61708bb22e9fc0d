/**
 * `VAULTLINK_PASSPHRASE` leaves the environment as soon as the store reads it.
 *
 * A passphrase left in the process environment is inherited by every child process (a
 * collection's scripts, a provider's CLI, an editor) and stays readable from `/proc/<pid>/environ`.
 * So the store moves it into memory: it deletes the variable from `process.env` (when it was read
 * from there, or from a copy of it holding the same value), and on Linux also blanks the copy in the
 * process's initial environment block, which is what `/proc/self/environ` shows (deleting a variable
 * does not touch that memory). Later stores that read `process.env` get the value from memory. An
 * environment object the caller built is data the caller owns: it is read, never changed.
 */
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { EnvLike } from './paths.js';

export const PASSPHRASE_VARIABLE = 'VAULTLINK_PASSPHRASE';

/** Passphrases taken from an environment object, by that object. */
const taken = new WeakMap<object, string>();

/** The passphrase from `env` (undefined when unset); the process environment loses it on the first read. */
export function takePassphraseFromEnv(env: EnvLike): string | undefined {
  const value = env[PASSPHRASE_VARIABLE] ?? taken.get(env);
  if (value !== undefined && process.env[PASSPHRASE_VARIABLE] === value) {
    taken.set(process.env, value);
    delete process.env[PASSPHRASE_VARIABLE];
    if (process.platform === 'linux' && value !== '') blankInitialEnvironment(`${PASSPHRASE_VARIABLE}=`);
  }
  return value;
}

/**
 * Overwrites `NAME=value` in the initial environment block (between `env_start` and `env_end` of
 * /proc/self/stat) with NUL bytes, through /proc/self/mem. Best effort: a kernel or sandbox that
 * refuses it (gVisor, a hardened /proc) leaves /proc/self/environ as it was, and that is the
 * documented limit. Returns whether an entry was blanked.
 */
export function blankInitialEnvironment(prefix: string): boolean {
  let fd: number | undefined;
  try {
    const [start, end] = environmentBlock();
    if (!(end > start)) return false;
    fd = openSync('/proc/self/mem', 'r+');
    const block = Buffer.alloc(end - start);
    readSync(fd, block, 0, block.length, start);
    const needle = Buffer.from(prefix, 'latin1');
    let blanked = false;
    for (let at = block.indexOf(needle); at >= 0; at = block.indexOf(needle, at + 1)) {
      if (at > 0 && block[at - 1] !== 0) continue; // `OTHER_VAULTLINK_PASSPHRASE=` is not ours
      const stop = block.indexOf(0, at);
      const entryEnd = stop < 0 ? block.length : stop;
      writeSync(fd, Buffer.alloc(entryEnd - at), 0, entryEnd - at, start + at);
      blanked = true;
    }
    return blanked;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** env_start and env_end: fields 50 and 51 of /proc/self/stat, counted after the `(comm)` field. */
function environmentBlock(): [number, number] {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  return [Number(fields[47]), Number(fields[48])];
}
