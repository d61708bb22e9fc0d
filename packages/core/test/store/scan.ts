/** Searches every regular file under some roots for byte strings: the "nothing in plaintext on disk" check. */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ScanResult {
  hits: { file: string; needle: number }[];
  filesScanned: number;
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Trees that hold installed code, never data this process wrote: walking them only costs time. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.pnpm-store']);

/**
 * `since` (epoch ms) limits the scan to files written or changed after it: the OS temp dir of a
 * shared machine holds much older, unrelated data.
 */
export async function scanForNeedles(roots: string[], needles: string[], since = 0): Promise<ScanResult> {
  const patterns = needles.map((needle) => Buffer.from(needle, 'utf8'));
  const result: ScanResult = { hits: [], filesScanned: 0 };
  const visit = async (path: string): Promise<void> => {
    const info = await lstatIfPresent(path);
    if (!info || info.isSymbolicLink()) return;
    if (info.isDirectory()) {
      const names = await readdirIfPresent(path);
      for (const name of names) if (!SKIPPED_DIRS.has(name)) await visit(join(path, name));
      return;
    }
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return;
    if (info.mtimeMs < since && info.ctimeMs < since) return;
    const bytes = await readIfPresent(path);
    if (!bytes) return;
    result.filesScanned += 1;
    // Hits are reported by needle index, so a failing test never prints the secret itself.
    patterns.forEach((pattern, index) => {
      if (bytes.includes(pattern)) result.hits.push({ file: path, needle: index });
    });
  };
  for (const root of roots) await visit(root);
  return result;
}

// Other processes (other test files) create and delete files in the OS temp dir while we walk it.
const vanished = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

async function lstatIfPresent(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if (vanished(error)) return undefined;
    throw error;
  }
}

async function readdirIfPresent(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (vanished(error)) return [];
    throw error;
  }
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (vanished(error)) return undefined;
    throw error;
  }
}
