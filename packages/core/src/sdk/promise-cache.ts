/**
 * Provider state that is costly to make and safe to share: SDK clients per credentials and
 * region, assumed-role credentials until shortly before they expire, a CA file's contents.
 * `get(key, make)` shares one promise per key (concurrent callers too), forgets a failed one
 * (the next call tries again: a policy or a file may have been fixed), makes a new one when the
 * value is about to expire, and keeps at most `maxEntries` keys (the oldest made go first).
 * Keys must not hold secrets: build them with `fingerprint`.
 */
import { createHash } from 'node:crypto';

export interface PromiseCacheOptions<V> {
  /** Keys kept at most; making one more drops the oldest. @default unbounded */
  maxEntries?: number;
  /** When a made value stops being usable, in ms since the epoch; undefined: never. */
  expiresAt?: (value: V) => number | undefined;
  /** Make a new value this long before it expires. @default 0 */
  renewBeforeMs?: number;
  /** The clock, for tests. @default Date.now */
  now?: () => number;
}

interface Entry<V> {
  promise: Promise<V>;
  /** Known once the promise has resolved. */
  expiresAt?: number;
}

export class PromiseCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly options: PromiseCacheOptions<V> = {}) {}

  get size(): number {
    return this.entries.size;
  }

  /** The shared value for `key`, made with `make` when there is none, it failed, or it is about to expire. */
  get(key: string, make: () => Promise<V>): Promise<V> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.entries.get(key);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - (this.options.renewBeforeMs ?? 0) > now)) return cached.promise;
    const entry: Entry<V> = { promise: make() };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.options.maxEntries !== undefined && this.entries.size > this.options.maxEntries)
      this.entries.delete(this.entries.keys().next().value!);
    entry.promise.then(
      (value) => {
        entry.expiresAt = this.options.expiresAt?.(value);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.promise;
  }

  /** Forgets `key`, e.g. credentials the upstream stopped accepting: the next `get` makes a new value. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** A short, stable key for values that include secrets (credentials, tokens), so map keys never hold them. */
export function fingerprint(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('base64url').slice(0, 22);
}
