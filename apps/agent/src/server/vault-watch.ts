/**
 * The vault file as the agent sees it. Agent-less commands write it through the same locked,
 * atomic store, and every commit raises the authenticated **generation** in the file's header.
 * So the generation is the agent's change signal:
 * - `changed()`: did someone write since the agent last looked (then the cache is pruned)? It
 *   peeks the generation (`store.peekGeneration()`: no key, no decryption);
 * - `read()`: the decrypted data, decrypted again only when the file changed (a copy per read,
 *   so no caller can alter what the next one sees). Reading through the store authenticates the
 *   content and reports a rolled-back copy (a generation below one already seen, or below the
 *   `minGeneration` the agent kept across a lock) to the store's `onWarning` as VAULT_ROLLBACK.
 * A stat of the file (inode, size, times) comes first: an untouched file is not read at all, so a
 * request costs one stat as long as nobody writes. The identity also stays part of the version,
 * so a copy that reached the same generation by another history (a restored backup written to by
 * a command that did not know the newer mark) is not taken for the file the agent decrypted.
 */
import { statSync } from 'node:fs';
import type { FileVaultStore, VaultData, VaultStore } from '@vault/core';

export class WatchedVaultFile implements VaultStore {
  private seen: string | undefined;
  private cached: { version: string; data: VaultData } | undefined;
  private peeked: { identity: string; version: string } | undefined;

  constructor(readonly store: FileVaultStore) {}

  /** True when the file was written since the previous call (and on the first call). */
  async changed(): Promise<boolean> {
    const now = await this.version();
    const changed = now !== this.seen;
    this.seen = now;
    return changed;
  }

  async read(): Promise<VaultData> {
    const before = await this.version();
    if (this.cached?.version === before) return structuredClone(this.cached.data);
    const data = await this.store.read();
    // Kept only if the file did not change while it was read (else the next read reads again).
    this.cached = (await this.version()) === before ? { version: before, data: structuredClone(data) } : undefined;
    return data;
  }

  update<T>(mutate: (data: VaultData) => T | Promise<T>): Promise<T> {
    this.cached = undefined;
    return this.store.update(mutate);
  }

  /** Drops the decrypted copy (on lock). */
  forget(): void {
    this.cached = undefined;
    this.peeked = undefined;
  }

  /** `generation@identity`; the generation is peeked only when the stat says the file changed. */
  private async version(): Promise<string> {
    const identity = this.identity();
    if (this.peeked?.identity === identity) return this.peeked.version;
    let generation: string;
    try {
      generation = String(await this.store.peekGeneration());
    } catch {
      // Missing or damaged: a version of its own, so the next read goes to the store and reports why.
      generation = 'unreadable';
    }
    const version = `${generation}@${identity}`;
    // Remembered only if the file was not replaced while it was peeked.
    this.peeked = this.identity() === identity ? { identity, version } : undefined;
    return version;
  }

  private identity(): string {
    try {
      const s = statSync(this.store.path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch (error) {
      return `missing:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }
}
