/**
 * File access inside the vault home that never follows a symbolic link. A link planted in the
 * home (by another user of a shared directory, or left by a tool) must not redirect a read of the
 * vault, or a write of its lock token, to a file of someone else's choosing. On Windows, where
 * O_NOFOLLOW does not exist, the flag is 0 and the lstat checks of home-safety.ts remain.
 */
import { constants } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Open flags: read only, failing on a symbolic link (ELOOP; EMLINK on FreeBSD). O_NONBLOCK keeps a
 * FIFO planted under the name from blocking the open; it changes nothing for a regular file.
 */
export const READ_NO_FOLLOW = constants.O_RDONLY | NO_FOLLOW | (constants.O_NONBLOCK ?? 0);
/** Open flags: create a new file, failing if any entry (a link included) already has the name. */
export const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW;

/** What a no-follow open found instead of a regular file. */
export class NotARegularFile extends Error {
  override readonly name = 'NotARegularFile';
  constructor(
    readonly path: string,
    readonly kind: 'symlink' | 'directory' | 'other',
  ) {
    super(`${path} is ${kind === 'symlink' ? 'a symbolic link' : kind === 'directory' ? 'a directory' : 'not a regular file'}`);
  }
}

/** Reads a regular file without following a link. ENOENT and other I/O errors are thrown as they are. */
export async function readRegularFile(path: string): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_NO_FOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new NotARegularFile(path, 'symlink');
    if (code === 'EISDIR') throw new NotARegularFile(path, 'directory');
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotARegularFile(path, info.isDirectory() ? 'directory' : 'other');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Writes `content` to a file that must not exist yet (mode set at creation). */
export async function createExclusive(path: string, content: string | Uint8Array, mode: number): Promise<void> {
  const handle = await open(path, CREATE_EXCLUSIVE, mode);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** Removes a directory entry (a link itself, never its target); absent is fine. */
export async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
