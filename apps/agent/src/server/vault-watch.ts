/**
 * Has the vault file changed since the agent last looked? Agent-less commands write it
 * through the same locked, atomic store (write a temp file, rename over), so every commit
 * gives the file a new inode and ctime. Until the store exposes its monotonic generation
 * counter, the file's identity (inode, size, mtime, ctime in ns) is the signal; this module
 * is the one place to switch to the generation when it lands.
 */
import { stat } from 'node:fs/promises';

export class VaultFileWatch {
  private last: string | undefined;

  constructor(private readonly path: string) {}

  /** True when the file differs from the previous call's (and on the first call). */
  async changed(): Promise<boolean> {
    const now = await this.signature();
    const changed = now !== this.last;
    this.last = now;
    return changed;
  }

  private async signature(): Promise<string> {
    try {
      const s = await stat(this.path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch (error) {
      return `missing:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }
}
