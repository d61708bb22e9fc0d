/**
 * The vault file as the agent sees it. Agent-less commands write it through the same locked,
 * atomic store (a temp file renamed over it), so every commit gives the file a new inode and
 * ctime. Until the store exposes its monotonic generation counter, the file's identity (inode,
 * size, mtime and ctime in ns, from a stat per request) is the signal; this module is the one
 * place to switch to the generation when it lands. It serves two things:
 * - `changed()`: has the file changed since the agent last looked (then the cache is pruned);
 * - `read()`: the decrypted data, decrypted again only when the file changed (a copy per read,
 *   so no caller can alter what the next one sees).
 */
import { statSync } from 'node:fs';
import type { FileVaultStore, VaultData, VaultStore } from '@vault/core';

export class WatchedVaultFile implements VaultStore {
  private seen: string | undefined;
  private cached: { signature: string; data: VaultData } | undefined;

  constructor(readonly store: FileVaultStore) {}

  /** True when the file differs from the previous call's (and on the first call). */
  changed(): boolean {
    const now = this.signature();
    const changed = now !== this.seen;
    this.seen = now;
    return changed;
  }

  async read(): Promise<VaultData> {
    const before = this.signature();
    if (this.cached?.signature === before) return structuredClone(this.cached.data);
    const data = await this.store.read();
    // Kept only if the file did not change while it was read (else the next read reads again).
    this.cached = this.signature() === before ? { signature: before, data: structuredClone(data) } : undefined;
    return data;
  }

  update<T>(mutate: (data: VaultData) => T | Promise<T>): Promise<T> {
    this.cached = undefined;
    return this.store.update(mutate);
  }

  /** Drops the decrypted copy (on lock). */
  forget(): void {
    this.cached = undefined;
  }

  private signature(): string {
    try {
      const s = statSync(this.store.path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch (error) {
      return `missing:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }
}
