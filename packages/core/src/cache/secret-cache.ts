/**
 * In-memory cache of fetched values, keyed by link. Nothing here is ever written to disk.
 * The TTL is read at lookup time, so changing the expiry setting (or setting it to 0)
 * applies to entries already cached. Only successful fetches are put here.
 */
export interface CacheHit {
  value: string;
  version?: string;
  fetchedAt: number;
  expiresAt: number;
}

export interface CacheTimes {
  /** When this process last fetched the value (kept even when caching is off). */
  lastFetchedAt?: number;
  /** When the cached value expires; undefined when nothing is cached. */
  expiresAt?: number;
}

interface Entry {
  value: string;
  version?: string;
  fetchedAt: number;
}

export const MINUTE_MS = 60_000;

export class SecretCache {
  private readonly entries = new Map<string, Entry>();
  private readonly lastFetched = new Map<string, number>();
  private readonly now: () => number;
  // Bumped by delete/clear, so a fetch that started before a reset cannot re-fill the entry.
  private readonly generations = new Map<string, number>();
  private epoch = 0;

  /** `now` defaults to `Date.now()` read at call time, so fake timers apply. */
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => Date.now());
  }

  get(key: string, ttlMinutes: number): CacheHit | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const expiresAt = entry.fetchedAt + ttlMinutes * MINUTE_MS;
    if (ttlMinutes <= 0 || this.now() >= expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return { ...entry, expiresAt };
  }

  /** A token to pass to `set`: it is stale once the key was deleted or the cache cleared. */
  generation(key: string): string {
    return `${this.epoch}:${this.generations.get(key) ?? 0}`;
  }

  /** Records a successful fetch; stores the value only when caching is on and `generation` is current. */
  set(key: string, value: string, ttlMinutes: number, version?: string, generation?: string): void {
    if (generation !== undefined && generation !== this.generation(key)) return;
    const fetchedAt = this.now();
    this.lastFetched.set(key, fetchedAt);
    if (ttlMinutes > 0) this.entries.set(key, version === undefined ? { value, fetchedAt } : { value, version, fetchedAt });
    else this.entries.delete(key);
  }

  /** Times for `show`, without the value. */
  times(key: string, ttlMinutes: number): CacheTimes {
    const lastFetchedAt = this.lastFetched.get(key);
    const hit = this.get(key, ttlMinutes);
    return { lastFetchedAt, expiresAt: hit?.expiresAt };
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  deleteWhere(predicate: (key: string) => boolean): void {
    for (const key of new Set([...this.entries.keys(), ...this.lastFetched.keys()])) if (predicate(key)) this.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.epoch++;
  }

  get size(): number {
    return this.entries.size;
  }
}
