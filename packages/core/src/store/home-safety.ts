/**
 * Checks of the vault home and `vault.enc` before every read and write.
 *
 * The home must be a directory that only its owner can write: in a directory others can write to,
 * another user could plant `vault.enc.lock-owner -> /some/file` and make our next write land in
 * that file, or swap the vault for an older copy. `vault.enc` must be a regular file of ours:
 * never a link (followed, it would redirect reads) and never a directory. On Windows, ownership
 * and mode bits do not apply (ACLs do) and only the file-type checks run.
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import { homeNotDirectory, homeNotPrivate, vaultFileNotRegular, vaultIoError, type HomeOrigin } from './store-errors.js';

const WRITABLE_BY_OTHERS = 0o022;

/** 'missing' when there is no home or no vault file in it; throws when either is unsafe to use. */
export async function vaultFileState(home: string, path: string, origin: HomeOrigin): Promise<'missing' | 'present'> {
  if (!(await checkHome(home, origin))) return 'missing';
  return (await checkVaultFile(path)) ? 'present' : 'missing';
}

/** False when the home does not exist; throws INVALID_CONFIG when it is not a private directory. */
export async function checkHome(home: string, origin: HomeOrigin): Promise<boolean> {
  let info;
  try {
    // A home reached through a link (say ~/.local/share -> /data) is fine: the target is checked.
    info = await stat(home);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code === 'ENOTDIR') throw homeNotDirectory(home, origin, 'under a file');
    throw vaultIoError(home, 'inspect', error);
  }
  if (!info.isDirectory()) throw homeNotDirectory(home, origin, 'a file');
  const uid = currentUid();
  if (uid === undefined) return true;
  if (info.uid !== uid) throw homeNotPrivate(home, { uid: info.uid });
  if ((info.mode & WRITABLE_BY_OTHERS) !== 0) throw homeNotPrivate(home, { mode: info.mode });
  return true;
}

/** False when there is no vault file; throws INVALID_CONFIG for a link, a directory or a file of another user. */
export async function checkVaultFile(path: string): Promise<boolean> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw vaultIoError(path, 'inspect', error);
  }
  if (info.isSymbolicLink()) throw vaultFileNotRegular(path, 'symlink', await readlink(path).catch(() => undefined));
  if (!info.isFile()) throw vaultFileNotRegular(path, info.isDirectory() ? 'directory' : 'other');
  const uid = currentUid();
  if (uid !== undefined && info.uid !== uid) throw vaultFileNotRegular(path, { uid: info.uid });
  return true;
}

/** Throws INVALID_CONFIG when `path` (an entry the store manages in its home) is a symbolic link. */
export async function refuseLink(path: string): Promise<void> {
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw vaultIoError(path, 'inspect', error);
  });
  if (info?.isSymbolicLink()) throw vaultFileNotRegular(path, 'symlink', await readlink(path).catch(() => undefined));
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}
