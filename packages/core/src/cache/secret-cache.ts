/**
 * In-memory cache of fetched values, keyed by link. Nothing here is ever written to disk.
 * The TTL is read at lookup time, so changing the expiry setting (or setting it to 0)
 * applies to entries already cached. Only successful fetches are put here. With
 * `maxEntries`, the least recently used entry is evicted first (a long-lived host such as
 * the agent must not grow without bound).
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

/** One cached link, without its value (for status screens). */
export interface CacheEntryInfo {
  key: string;
  fetchedAt: number;
  expiresAt: number;
}

export interface SecretCacheOptions {
  /** Clock in ms. @default Date.now() read at call time, so fake timers apply */
  now?: () => number;
  /** Most values kept at once; the least recently used goes first. @default unbounded */
  maxEntries?: number;
}

export class SecretCache {
  private readonly entries = new Map<string, Entry>();
  private readonly lastFetched = new Map<string, number>();
  private readonly now: () => number;
  // Bumped by delete/clear, so a fetch that started before a reset cannot re-fill the entry.
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private readonly maxEntries: number;

  constructor(options: SecretCacheOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.maxEntries =
      options.maxEntries !== undefined && options.maxEntries > 0 ? Math.floor(options.maxEntries) : Number.POSITIVE_INFINITY;
  }

  get(key: string, ttlMinutes: number): CacheHit | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const expiresAt = entry.fetchedAt + ttlMinutes * MINUTE_MS;
    if (ttlMinutes <= 0 || this.now() >= expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    // Map order is the LRU order: a hit moves the entry to the young end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { ...entry, expiresAt };
  }

  /** Live entries, oldest use first, without values. Expired ones are dropped on the way. */
  list(ttlMinutes: number): CacheEntryInfo[] {
    const now = this.now();
    const out: CacheEntryInfo[] = [];
    for (const [key, entry] of this.entries) {
      const expiresAt = entry.fetchedAt + ttlMinutes * MINUTE_MS;
      if (ttlMinutes <= 0 || now >= expiresAt) this.entries.delete(key);
      else out.push({ key, fetchedAt: entry.fetchedAt, expiresAt });
    }
    return out;
  }

  /** A token to pass to `set`: it is stale once the key was deleted or the cache cleared. */
  generation(key: string): string {
    return `${this.epoch}:${this.generations.get(key) ?? 0}`;
  }

  /** Records a successful fetch; stores the value only when caching is on and `generation` is current. */
  set(key: string, value: string, ttlMinutes: number, version?: string, generation?: string): void {
    if (generation !== undefined && generation !== this.generation(key)) return;
    const fetchedAt = this.now();
    this.lastFetched.delete(key);
    this.lastFetched.set(key, fetchedAt);
    this.entries.delete(key);
    if (ttlMinutes > 0) this.entries.set(key, version === undefined ? { value, fetchedAt } : { value, version, fetchedAt });
    trimOldest(this.entries, this.maxEntries);
    trimOldest(this.lastFetched, this.maxEntries);
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
    // The new epoch outdates every generation token, so per-key counters can start over.
    this.generations.clear();
    this.epoch++;
  }

  get size(): number {
    return this.entries.size;
  }
}

function trimOldest(map: Map<string, unknown>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value as string);
}
