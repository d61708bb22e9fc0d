import { describe, expect, it } from 'vitest';
import { PromiseCache, fingerprint } from '../src/provider.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('PromiseCache', () => {
  it('shares one promise per key, also between concurrent callers', async () => {
    const cache = new PromiseCache<number>();
    let made = 0;
    const make = async () => ++made;
    const [a, b] = await Promise.all([cache.get('k', make), cache.get('k', make)]);
    expect([a, b, await cache.get('k', make), await cache.get('other', make)]).toEqual([1, 1, 1, 2]);
    expect(made).toBe(2);
  });

  it('forgets a failure: the next get makes the value again', async () => {
    const cache = new PromiseCache<string>();
    await expect(cache.get('k', () => Promise.reject(new Error('denied')))).rejects.toThrow('denied');
    await flush();
    expect(cache.size).toBe(0);
    await expect(cache.get('k', async () => 'fixed')).resolves.toBe('fixed');
  });

  it('makes a new value renewBeforeMs before the old one expires', async () => {
    let now = 1_000_000;
    const cache = new PromiseCache<{ n: number; until: number }>({ expiresAt: (v) => v.until, renewBeforeMs: 60_000, now: () => now });
    let n = 0;
    const make = async () => ({ n: ++n, until: now + 3_600_000 });
    expect((await cache.get('role', make)).n).toBe(1);
    await flush();
    now += 3_600_000 - 60_001;
    expect((await cache.get('role', make)).n).toBe(1);
    now += 2;
    expect((await cache.get('role', make)).n).toBe(2);
  });

  it('keeps at most maxEntries keys, dropping the oldest made; delete forgets one key', async () => {
    const cache = new PromiseCache<string>({ maxEntries: 2 });
    let made = 0;
    const make = async () => `v${++made}`;
    await cache.get('a', make);
    await cache.get('b', make);
    await cache.get('c', make);
    expect(cache.size).toBe(2);
    expect(await cache.get('b', make)).toBe('v2');
    expect(await cache.get('a', make)).toBe('v4');
    cache.delete('a');
    expect(await cache.get('a', make)).toBe('v5');
  });
});

describe('fingerprint', () => {
  it('is short, stable, tells inputs apart and does not contain them', () => {
    const key = fingerprint('AKIAEXAMPLE', 'secret-access-key-value', '');
    expect(key).toBe(fingerprint('AKIAEXAMPLE', 'secret-access-key-value', ''));
    expect(key).toHaveLength(22);
    expect(key).not.toBe(fingerprint('AKIAEXAMPLE', 'secret-access-key-valuf', ''));
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(fingerprint('ab', 'c')).not.toBe(fingerprint('a', 'bc'));
    expect(key).not.toContain('secret');
  });
});
