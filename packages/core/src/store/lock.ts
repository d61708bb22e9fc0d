/**
 * The inter-process write lock (proper-lockfile: an atomic mkdir whose mtime the holder keeps
 * fresh). A holder killed with SIGKILL stops refreshing it, and after `staleMs` the next writer
 * takes it over. Within one process, writers also queue on a promise chain, so they do not
 * poll the lock directory against each other.
 *
 * An mkdir lock can be taken over from a holder that is alive but stalled (a multi-second fsync
 * under I/O pressure), and two waiters removing the same stale lock can both end up holding it.
 * So each holder also writes a random owner token next to the lock right after acquiring it, and
 * checks the token just before its rename (a stalled holder then backs off instead of overwriting
 * a newer write) and just after it (a write is only reported done if nobody took over meanwhile:
 * anyone who did would have read the vault after our rename).
 *
 * The token file is removed and created anew with O_EXCL|O_NOFOLLOW, and read with O_NOFOLLOW:
 * a link planted under its name cannot make us write the token into another file.
 */
import { randomBytes } from 'node:crypto';
import { refuseLink } from './home-safety.js';
import { createExclusive, NotARegularFile, readRegularFile, unlinkIfPresent } from './no-follow.js';
import { vaultLockOwnerPath, vaultLockPath } from './paths.js';
import { lockLost, lockTimeout, vaultIoError } from './store-errors.js';

/** proper-lockfile's default; it refuses anything below 2 s. */
export const DEFAULT_LOCK_STALE_MS = 10_000;

export interface LockGuard {
  /** Throws VAULT_LOCKED if the lock was taken over. `committed`: whether our rename already happened. */
  assertHeld(committed: boolean): Promise<void>;
}

const queues = new Map<string, Promise<unknown>>();

export async function withVaultLock<T>(
  home: string,
  vaultPath: string,
  staleMs: number,
  work: (guard: LockGuard) => Promise<T>,
): Promise<T> {
  const lockPath = vaultLockPath(home);
  const previous = queues.get(lockPath) ?? Promise.resolve();
  const run = previous.then(
    () => holdLock(home, vaultPath, staleMs, work),
    () => holdLock(home, vaultPath, staleMs, work),
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

async function holdLock<T>(home: string, vaultPath: string, staleMs: number, work: (guard: LockGuard) => Promise<T>): Promise<T> {
  const lockPath = vaultLockPath(home);
  const ownerPath = vaultLockOwnerPath(home);
  // Loaded here, not at import: proper-lockfile installs exit handlers when it loads.
  const { lock } = await import('proper-lockfile');
  // proper-lockfile stats and touches the lock directory by name, which would follow a link.
  await refuseLink(lockPath);
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
  const token = `${process.pid}-${randomBytes(12).toString('hex')}`;
  const guard: LockGuard = {
    async assertHeld(committed) {
      if (compromised) throw lockLost(vaultPath, committed, compromised);
      if ((await readOwner(ownerPath)) !== token) throw lockLost(vaultPath, committed);
    },
  };
  try {
    try {
      // Holding the lock, any token file left here is a dead holder's (or a planted link): replace it.
      await unlinkIfPresent(ownerPath);
      await createExclusive(ownerPath, token, 0o600);
    } catch (error) {
      // Another writer's token appeared between our unlink and create: it took the lock over.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw lockLost(vaultPath, false, error);
      throw vaultIoError(ownerPath, 'write', error);
    }
    return await work(guard);
  } finally {
    await releaseLock(release, ownerPath, token, lockPath);
  }
}

async function releaseLock(release: () => Promise<void>, ownerPath: string, token: string, lockPath: string): Promise<void> {
  try {
    // Only our own token: if the lock was taken over, the token belongs to the new holder.
    if ((await readOwner(ownerPath)) === token) await unlinkIfPresent(ownerPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw vaultIoError(ownerPath, 'remove', error);
  }
  await release().catch((error: NodeJS.ErrnoException) => {
    // Already released means it was compromised, which assertHeld reported before any commit.
    if (error.code !== 'ERELEASED' && error.code !== 'ENOTACQUIRED') throw vaultIoError(lockPath, 'release the lock', error);
  });
}

/** The current token; undefined when there is none, or when something other than a file took its place. */
async function readOwner(ownerPath: string): Promise<string | undefined> {
  try {
    return (await readRegularFile(ownerPath)).toString('utf8');
  } catch (error) {
    if (error instanceof NotARegularFile || (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw vaultIoError(ownerPath, 'read', error);
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
