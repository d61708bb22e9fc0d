/**
 * The inter-process write lock (proper-lockfile: an atomic mkdir whose mtime the holder keeps
 * fresh). A holder killed with SIGKILL stops refreshing it, and after `staleMs` the next writer
 * takes it over. Within one process, writers also queue on a promise chain, so they do not
 * poll the lock directory against each other.
 */
import { vaultLockPath } from './paths.js';
import { lockLost, lockTimeout, vaultIoError } from './store-errors.js';

/** proper-lockfile's default; it refuses anything below 2 s. */
export const DEFAULT_LOCK_STALE_MS = 10_000;

export interface LockGuard {
  /** Throws if the lock was taken over (this process stalled past `staleMs`): do not commit then. */
  assertHeld(): void;
}

const queues = new Map<string, Promise<unknown>>();

export async function withVaultLock<T>(home: string, vaultPath: string, staleMs: number, work: (guard: LockGuard) => Promise<T>): Promise<T> {
  const lockPath = vaultLockPath(home);
  const previous = queues.get(lockPath) ?? Promise.resolve();
  const run = previous.then(
    () => holdLock(home, vaultPath, lockPath, staleMs, work),
    () => holdLock(home, vaultPath, lockPath, staleMs, work),
  );
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(lockPath, settled);
  void settled.then(() => {
    if (queues.get(lockPath) === settled) queues.delete(lockPath);
  });
  return run;
}

async function holdLock<T>(home: string, vaultPath: string, lockPath: string, staleMs: number, work: (guard: LockGuard) => Promise<T>): Promise<T> {
  // Loaded here, not at import: proper-lockfile installs exit handlers when it loads.
  const { lock } = await import('proper-lockfile');
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lock(home, {
      lockfilePath: lockPath,
      stale: staleMs,
      retries: retriesCovering(3 * staleMs, staleMs),
      realpath: false,
      // The default throws from a timer and kills the process; we refuse to commit instead.
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw lockTimeout(vaultPath, lockPath, error);
    throw vaultIoError(lockPath, 'create the lock', error);
  }
  const guard: LockGuard = {
    assertHeld() {
      if (compromised) throw lockLost(vaultPath, compromised);
    },
  };
  try {
    return await work(guard);
  } finally {
    await release().catch((error: NodeJS.ErrnoException) => {
      // Already released means it was compromised, which assertHeld reported before any commit.
      if (error.code !== 'ERELEASED' && error.code !== 'ENOTACQUIRED') throw vaultIoError(lockPath, 'release the lock', error);
    });
  }
}

/** A retry schedule (for the `retry` package) whose un-randomised total wait reaches `totalMs`. */
function retriesCovering(totalMs: number, staleMs: number) {
  const minTimeout = 20;
  const factor = 1.5;
  const maxTimeout = Math.max(minTimeout, Math.min(500, staleMs / 10));
  let retries = 0;
  for (let waited = 0; waited < totalMs; retries += 1) waited += Math.min(maxTimeout, minTimeout * factor ** retries);
  return { retries, factor, minTimeout, maxTimeout, randomize: true };
}
