import { describe, expect, it } from 'vitest';
import { chunkByGroup, MicroBatcher } from '../src/cache/batcher.js';
import { SecretCache } from '../src/cache/secret-cache.js';
import { Singleflight } from '../src/cache/singleflight.js';

describe('SecretCache', () => {
  it('expires by the TTL in force at lookup and reports times', () => {
    let now = 0;
    const cache = new SecretCache({ now: () => now });
    cache.set('k', 'v-1234', 10);
    expect(cache.get('k', 10)?.expiresAt).toBe(600_000);
    now = 599_999;
    expect(cache.get('k', 10)?.value).toBe('v-1234');
    expect(cache.get('k', 5)).toBeUndefined(); // shorter TTL applies at once
    cache.set('k', 'v-1234', 10);
    expect(cache.times('k', 10)).toEqual({ lastFetchedAt: 599_999, expiresAt: 1_199_999 });
  });

  it('ignores a set whose generation is stale', () => {
    const cache = new SecretCache({ now: () => 0 });
    const generation = cache.generation('k');
    cache.delete('k');
    cache.set('k', 'v', 10, undefined, generation);
    expect(cache.get('k', 10)).toBeUndefined();
    const afterClear = cache.generation('k');
    cache.clear();
    cache.set('k', 'v', 10, undefined, afterClear);
    expect(cache.size).toBe(0);
  });
});

describe('Singleflight', () => {
  it('shares one run between concurrent callers and starts fresh afterwards', async () => {
    const flights = new Singleflight<number>();
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      return runs;
    };
    expect(await Promise.all([flights.run('k', undefined, work), flights.run('k', undefined, work)])).toEqual([1, 1]);
    expect(await flights.run('k', undefined, work)).toBe(2);
    expect(flights.size).toBe(0);
  });

  it('aborts the shared work only when every caller gave up', async () => {
    const flights = new Singleflight<string>();
    let sawAbort = false;
    const work = (signal: AbortSignal) =>
      new Promise<string>((resolve) => {
        signal.addEventListener('abort', () => (sawAbort = true));
        setTimeout(() => resolve('done'), 20);
      });
    const a = new AbortController();
    const b = new AbortController();
    const first = flights.run('k', a.signal, work);
    const second = flights.run('k', b.signal, work);
    a.abort();
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    expect(sawAbort).toBe(false);
    b.abort();
    await expect(second).rejects.toMatchObject({ code: 'ABORTED' });
    expect(sawAbort).toBe(true);
  });
});

describe('MicroBatcher', () => {
  it('collects loads from one tick into chunks of whole groups', async () => {
    const calls: string[][] = [];
    const batcher = new MicroBatcher<string, string>({
      maxGroupsPerBatch: 2,
      run: async (items) => {
        calls.push(items);
        return items.map((i) => ({ ok: true, value: i.toUpperCase() }));
      },
    });
    const signal = new AbortController().signal;
    const loads = ['a1', 'a2', 'b1', 'c1', 'c2'].map((item) => batcher.load(item, item[0]!, signal));
    expect(await Promise.all(loads)).toEqual(['A1', 'A2', 'B1', 'C1', 'C2']);
    expect(calls).toEqual([
      ['a1', 'a2', 'b1'],
      ['c1', 'c2'],
    ]);
  });

  it('rejects every item of a chunk when the run throws or returns the wrong count', async () => {
    const signal = new AbortController().signal;
    const throwing = new MicroBatcher<string, string>({ run: async () => Promise.reject(new Error('down')) });
    await expect(Promise.all([throwing.load('a', 'a', signal), throwing.load('b', 'b', signal)])).rejects.toThrow('down');
    const short = new MicroBatcher<string, string>({ run: async () => [] });
    await expect(short.load('a', 'a', signal)).rejects.toMatchObject({ code: 'PROVIDER_INVALID' });
  });

  it('chunkByGroup keeps groups whole', () => {
    const items = ['x', 'y', 'x', 'z'].map((group, i) => ({ group, i }));
    expect(chunkByGroup(items, 1).map((c) => c.map((i) => i.i))).toEqual([[0, 2], [1], [3]]);
    expect(chunkByGroup(items, undefined)).toHaveLength(1);
  });
});
