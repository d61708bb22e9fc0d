/**
 * What a long-lived host needs from the cache: a bound (LRU on top of the TTL), a listing
 * without values, pruning after the vault changed under it, and session renewal on demand.
 */
import { describe, expect, it } from 'vitest';
import { SecretCache } from '../src/cache/secret-cache.js';
import { setup, testIO } from './helpers.js';

describe('SecretCache bound', () => {
  it('keeps at most maxEntries values, evicting the least recently used; a hit counts as a use', () => {
    const cache = new SecretCache({ maxEntries: 2 });
    cache.set('a', 'va', 60);
    cache.set('b', 'vb', 60);
    expect(cache.get('a', 60)?.value).toBe('va'); // a is now the most recent
    cache.set('c', 'vc', 60);
    expect(cache.get('b', 60)).toBeUndefined();
    expect(cache.get('a', 60)?.value).toBe('va');
    expect(cache.get('c', 60)?.value).toBe('vc');
    expect(cache.size).toBe(2);
  });

  it('lists keys and times, never values, and drops expired entries on the way', () => {
    let now = 1_000_000;
    const cache = new SecretCache({ now: () => now });
    cache.set('a', 'secret-a', 1);
    now += 30_000;
    cache.set('b', 'secret-b', 1);
    expect(cache.list(1)).toEqual([
      { key: 'a', fetchedAt: 1_000_000, expiresAt: 1_060_000 },
      { key: 'b', fetchedAt: 1_030_000, expiresAt: 1_090_000 },
    ]);
    expect(JSON.stringify(cache.list(1))).not.toContain('secret');
    now += 31_000;
    expect(cache.list(1).map((e: { key: string }) => e.key)).toEqual(['b']);
    expect(cache.size).toBe(1);
  });
});

describe('Vault cache state', () => {
  async function linkedVault() {
    const made = setup();
    await made.vault.connect('memory', {}, testIO());
    await made.vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    await made.vault.link('search', 'memory', { path: 'team/search' });
    await made.vault.resolveNames(['pay', 'search']);
    return made;
  }

  it('cacheEntries names the secrets behind each cached value, with times and no value', async () => {
    const { vault } = await linkedVault();
    const entries = await vault.cacheEntries();
    expect(entries.map((e) => e.names).sort()).toEqual([['pay'], ['search']]);
    expect(entries.every((e) => e.provider === 'memory' && Date.parse(e.expiresAt) > Date.parse(e.fetchedAt))).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/pay-key|search-token/);
  });

  it('pruneCache drops values of disabled, removed and relinked secrets written by another process', async () => {
    const { vault, store, memory } = await linkedVault();
    await vault.pruneCache(); // the host's first look
    // Another process (same store, no shared cache) disables one and relinks the other.
    await store.update((data) => {
      data.secrets['pay']!.enabled = false;
      data.secrets['search']!.secret = { kind: 'linked', provider: 'memory', link: { path: 'team/payments', key: 'webhook' } };
    });
    await vault.pruneCache();
    expect(await vault.cacheEntries()).toEqual([]);
    memory.resetStats();
    await vault.resolveNames(['search']);
    expect(memory.stats.upstreamCalls).toBe(1);
  });

  it("pruneCache drops a provider's values when its integration is gone, signed out, or connected anew", async () => {
    const { vault, store } = await linkedVault();
    await vault.pruneCache();
    const connected = (await store.read()).integrations['memory']!;
    await store.update((data) => {
      data.integrations['memory'] = { ...connected, connectedAt: new Date(Date.parse(connected.connectedAt) + 1000).toISOString() };
    });
    await vault.pruneCache();
    expect(await vault.cacheEntries()).toEqual([]);
    await vault.resolveNames(['pay']);
    expect(await vault.cacheEntries()).toHaveLength(1);
    await store.update((data) => {
      delete data.integrations['memory'];
    });
    await vault.pruneCache();
    expect(await vault.cacheEntries()).toEqual([]);
  });

  it('renewSession refreshes an expiring session and stores it; undefined when there is nothing to renew', async () => {
    const { vault, memory } = setup({ memory: { sessionTtlSeconds: 600 } });
    const first = await vault.connect('memory', {}, testIO());
    const renewed = await vault.renewSession('memory');
    expect(memory.stats.refreshCalls).toBe(1);
    expect(renewed?.expiresAt).toBeDefined();
    expect((await vault.session('memory'))?.expiresAt).toBe(renewed!.expiresAt);
    expect(Date.parse(renewed!.expiresAt!)).toBeGreaterThanOrEqual(Date.parse(first.expiresAt!));
    expect(await vault.renewSession('aws')).toBeUndefined();
  });
});
