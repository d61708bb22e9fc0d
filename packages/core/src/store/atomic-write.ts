/**
 * Crash-safe replacement of a file: write a temp file in the same directory (mode 0600),
 * fsync it, rename it over the target, fsync the directory. A reader, or a process that
 * starts after a crash, sees either the old file or the new one, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CREATE_EXCLUSIVE, unlinkIfPresent } from './no-follow.js';
import { isVaultTempFile } from './paths.js';

export const FILE_MODE = 0o600;

export interface AtomicWriteHooks {
  /** Test seam: runs after the temp file is durable and before the rename. */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

export async function writeFileAtomic(path: string, bytes: Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  const tempPath = join(dir, `${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // O_EXCL|O_NOFOLLOW: never follow or reuse an existing path; the mode is set at creation, before any byte is written.
    const handle = await open(tempPath, CREATE_EXCLUSIVE, FILE_MODE);
    try {
      // The umask can only clear bits, but chmod makes the mode exact whatever the umask is.
      await handle.chmod(FILE_MODE);
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.beforeRename?.(tempPath);
    await rename(tempPath, path);
  } catch (error) {
    await unlinkIfPresent(tempPath).catch((cleanupError: unknown) => {
      throw new AggregateError([error, cleanupError], `writing ${path} failed, and so did removing ${tempPath}`);
    });
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable. Windows cannot open a directory for fsync; NTFS journals the rename. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Deletes temp files left by writers that died before their rename. Call only while holding
 * the vault lock: then no live writer owns a temp file. They hold ciphertext only.
 */
export async function removeOrphanTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!isVaultTempFile(name)) continue;
    await unlinkIfPresent(join(dir, name));
    removed.push(name);
  }
  return removed;
}
