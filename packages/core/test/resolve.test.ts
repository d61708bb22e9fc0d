import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Resolution } from '../src/index.js';
import { createMemoryProvider } from '../src/testing.js';
import { DOCS, setup, testIO } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('resolveNames: singleflight and batching', () => {
  it('1,000 concurrent resolves of names linked to one document make ONE provider.fetch with ONE link', async () => {
    const { vault, memory } = setup({ memory: { latencyMs: 5 } });
    await vault.connect('memory', {}, testIO());
    for (let i = 0; i < 10; i++) await vault.link(`pay-${i}`, 'memory', { path: 'team/payments', key: 'api_key' });
    memory.resetStats();
    const calls = Array.from({ length: 1000 }, (_, i) => vault.get(`pay-${i % 10}`));
    const values = await Promise.all(calls);
    expect(new Set(values)).toEqual(new Set(['pay-key-new-3333']));
    expect(memory.stats.upstreamCalls).toBe(1);
    expect(memory.stats.upstreamReads).toBe(1);
  });

  it('also de-duplicates with caching off (in-flight only)', async () => {
    const { vault, memory } = setup({ memory: { latencyMs: 5 } });
    await vault.connect('memory', {}, testIO());
    await vault.setCacheExpiryMinutes(0);
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    await Promise.all(Array.from({ length: 1000 }, () => vault.get('pay')));
    expect(memory.stats.upstreamCalls).toBe(1);
    await vault.get('pay');
    expect(memory.stats.upstreamCalls).toBe(2); // nothing cached
  });

  it('reads two keys of one document with one fetch and one upstream read', async () => {
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('key', 'memory', { path: 'team/payments', key: 'api_key' });
    await vault.link('hook', 'memory', { path: 'team/payments', key: 'webhook' });
    const result = await vault.resolveNames(['key', 'hook']);
    expect(valueOf(result, 'key')).toBe('pay-key-new-3333');
    expect(valueOf(result, 'hook')).toBe('whsec-new-4444');
    expect(memory.stats.upstreamCalls).toBe(1);
    expect(memory.stats.upstreamReads).toBe(1);
  });

  it('splits a batch by maxBatchSize documents, keeping one document in one call', async () => {
    const documents = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`doc/${i}`, { a: `a-value-${i}`, b: `b-value-${i}` }]));
    const { vault, memory } = setup({ memory: { documents, maxBatchSize: 3 } });
    await vault.connect('memory', {}, testIO());
    const names: string[] = [];
    for (let i = 0; i < 7; i++) {
      for (const key of ['a', 'b']) {
        await vault.link(`${key}${i}`, 'memory', { path: `doc/${i}`, key });
        names.push(`${key}${i}`);
      }
    }
    const result = await vault.resolveNames(names);
    expect(names.every((n) => result.get(n)?.ok)).toBe(true);
    expect(memory.stats.upstreamCalls).toBe(3); // ceil(7 / 3)
    expect(memory.stats.upstreamReads).toBe(7);
  });

  it.each([
    ["the provider's declared concurrency", { concurrency: 5 }, {}, 5],
    ["the Vault's concurrency option over the declared one", { concurrency: 5 }, { concurrency: 3 }, 3],
    ['the default of 16 when a provider declares none', {}, {}, 16],
  ])(
    'bounds concurrent upstream calls of a provider without batch support by %s',
    async (_title, memoryOptions, vaultOptions, expected) => {
      const documents = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`doc/${i}`, `v-${i}-value`]));
      const memory = createMemoryProvider({ documents, batch: false, latencyMs: 10, ...memoryOptions });
      let active = 0;
      let peak = 0;
      const read = memory.readDocument.bind(memory);
      memory.readDocument = async (...args) => {
        active++;
        peak = Math.max(peak, active);
        try {
          return await read(...args);
        } finally {
          active--;
        }
      };
      const { vault } = setup({ vault: { providers: [memory], ...vaultOptions } });
      await vault.connect('memory', {}, testIO());
      for (let i = 0; i < 40; i++) await vault.link(`n${i}`, 'memory', { path: `doc/${i}` });
      const result = await vault.resolveNames(Array.from({ length: 40 }, (_, i) => `n${i}`));
      expect([...result.values()].every((r) => r.ok)).toBe(true);
      expect(memory.stats.upstreamCalls).toBe(40);
      expect(peak).toBe(expected);
    },
  );

  it('reports progress per name', async () => {
    const { vault } = setup();
    await vault.setLocal('a', 'value-a');
    const progress: Array<[number, number]> = [];
    await vault.resolveNames(['a', 'missing'], { onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });
});

describe('cache', () => {
  it('serves from cache until the TTL passes (fake timers), then fetches again', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.setCacheExpiryMinutes(5);
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    await vault.get('pay');
    vi.advanceTimersByTime(4 * 60_000 + 59_000);
    await vault.get('pay');
    expect(memory.stats.upstreamCalls).toBe(1);
    vi.advanceTimersByTime(1_000);
    await vault.get('pay');
    expect(memory.stats.upstreamCalls).toBe(2);
  });

  it('defaults to 60 minutes and shows lastFetchedAt / cacheExpiresAt without the value', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T10:00:00Z'));
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    expect(await vault.getCacheExpiryMinutes()).toBe(60);
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    expect((await vault.show('pay')).lastFetchedAt).toBeUndefined();
    await vault.get('pay');
    const info = await vault.show('pay');
    expect(info).toMatchObject({
      lastFetchedAt: '2030-01-01T10:00:00.000Z',
      cacheExpiresAt: '2030-01-01T11:00:00.000Z',
      identifier: 'team/payments#api_key',
    });
    expect(JSON.stringify(info)).not.toContain('pay-key');
    vi.setSystemTime(new Date('2030-01-01T10:59:59Z'));
    await vault.get('pay');
    expect(memory.stats.upstreamCalls).toBe(1);
    vi.setSystemTime(new Date('2030-01-01T11:00:00Z'));
    expect((await vault.show('pay')).cacheExpiresAt).toBeUndefined();
  });

  it('expiry 0 disables caching, also for values cached before', async () => {
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    await vault.get('pay');
    await vault.setCacheExpiryMinutes(0);
    await vault.get('pay');
    await vault.get('pay');
    expect(memory.stats.upstreamCalls).toBe(3);
  });

  it('rejects an expiry that is not a whole number of minutes', async () => {
    const { vault } = setup();
    for (const bad of [-1, 1.5, Number.NaN, 10_000_000]) {
      await expect(vault.setCacheExpiryMinutes(bad)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        issues: [expect.objectContaining({ field: 'expiry' })],
      });
    }
  });

  it('reset all drops every entry; reset one drops only that name', async () => {
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    await vault.link('search', 'memory', { path: 'team/search' });
    await vault.resolveNames(['pay', 'search']);
    expect(memory.stats.upstreamReads).toBe(2);

    vault.resetCache('pay');
    await vault.resolveNames(['pay', 'search']);
    expect(memory.stats.upstreamReads).toBe(3); // only pay again

    vault.resetCache();
    await vault.resolveNames(['pay', 'search']);
    expect(memory.stats.upstreamReads).toBe(5);
  });

  it('reset one name also drops a value first cached under another name with the same link', async () => {
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('a', 'memory', { path: 'team/search' });
    await vault.link('b', 'memory', { path: 'team/search' });
    await vault.get('a');
    await vault.get('b'); // served from the cache
    vault.resetCache('b');
    await vault.get('a');
    expect(memory.stats.upstreamReads).toBe(2);
  });

  it('resetCacheFor finds the entry of a name this process has not resolved', async () => {
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('a', 'memory', { path: 'team/search' });
    await vault.link('b', 'memory', { path: 'team/search' });
    await vault.get('a');
    await vault.resetCacheFor('b'); // same link, never resolved under this name
    await vault.get('a');
    expect(memory.stats.upstreamReads).toBe(2);
  });

  it('only caches successes', async () => {
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    memory.setFault('unavailable');
    await expect(vault.get('pay')).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    memory.setFault(undefined);
    expect(await vault.get('pay')).toBe('pay-key-new-3333');
    expect(memory.stats.upstreamCalls).toBe(2);
  });

  it('relinking drops the cached value by itself', async () => {
    const { vault, memory } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    expect(await vault.get('pay')).toBe('pay-key-new-3333');
    memory.setDocument('team/payments', { api_key: 'pay-key-rotated-7777' });
    expect(await vault.get('pay')).toBe('pay-key-new-3333'); // cached
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' }); // same link again
    expect(await vault.get('pay')).toBe('pay-key-rotated-7777');
    await vault.link('pay', 'memory', { path: 'team/search' });
    expect(await vault.get('pay')).toBe('search-token-5555');
  });

  it('a fetch in flight while the cache is reset does not refill it', async () => {
    const { vault, memory } = setup({ memory: { latencyMs: 20 } });
    await vault.connect('memory', {}, testIO());
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    const pending = vault.get('pay');
    await new Promise((r) => setTimeout(r, 5));
    vault.resetCache();
    await pending;
    await vault.get('pay');
    expect(memory.stats.upstreamCalls).toBe(2);
  });
});

describe('unresolved references', () => {
  it('reports each reason by name: missing, disabled, disconnected, reauth, denied, not-found, unavailable', async () => {
    const { vault, memory } = setup({ memory: { refreshable: false } });
    await vault.setLocal('off', 'value-off-1234');
    await vault.setEnabled('off', false);
    await vault.link('linked', 'memory', { path: 'team/search' });
    let result = await vault.resolveNames(['nope', 'off', 'linked']);
    expect(reasons(result)).toEqual({ nope: 'missing', off: 'disabled', linked: 'disconnected' });
    expect(result.get('linked')).toMatchObject({ code: 'UNRESOLVED', fix: { action: 'connect', provider: 'memory' } });
    expect(result.get('off')).toMatchObject({ fix: { action: 'enable', name: 'off' } });

    await vault.connect('memory', {}, testIO());
    await vault.link('denied', 'memory', { path: 'restricted/hr' });
    await vault.link('gone', 'memory', { path: 'team/none' });
    await vault.link('nokey', 'memory', { path: 'team/payments', key: 'nope' });
    result = await vault.resolveNames(['linked', 'denied', 'gone', 'nokey']);
    expect(reasons(result)).toEqual({ linked: 'ok', denied: 'denied', gone: 'not-found', nokey: 'not-found' });
    expect(result.get('denied')).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(result.get('nokey')).toMatchObject({ code: 'KEY_NOT_FOUND' });

    vault.resetCache();
    memory.setFault('throttled');
    result = await vault.resolveNames(['linked']);
    expect(result.get('linked')).toMatchObject({ ok: false, reason: 'unavailable', code: 'THROTTLED' });
    memory.setFault(undefined);

    memory.revokeSessions();
    result = await vault.resolveNames(['linked']);
    expect(result.get('linked')).toMatchObject({
      ok: false,
      reason: 'reauth',
      code: 'REAUTH_REQUIRED',
      fix: { action: 'reauth', provider: 'memory' },
    });
  });

  it('puts no value into any failure message, fix or error', async () => {
    const { vault, memory } = setup({ memory: { refreshable: false } });
    await vault.connect('memory', {}, testIO());
    await vault.link('denied', 'memory', { path: 'restricted/hr' });
    await vault.link('nokey', 'memory', { path: 'team/payments', key: 'nope' });
    await vault.link('old', 'memory', { path: 'team/payments', key: 'api_key', version: '9' });
    const first = await vault.resolveOutcomes(['denied', 'nokey', 'old', 'missing']);
    expect([...first.values()].map((o) => o.error?.code)).toEqual(['ACCESS_DENIED', 'KEY_NOT_FOUND', 'NOT_FOUND', 'UNRESOLVED']);
    memory.revokeSessions();
    await vault.link('revoked', 'memory', { path: 'team/search' });
    const outcomes = new Map([...first, ...(await vault.resolveOutcomes(['revoked']))]);
    const rendered = [...outcomes.values()]
      .map((o) => `${JSON.stringify(o.resolution)} ${o.error?.stack} ${JSON.stringify(o.error)}`)
      .join('\n');
    for (const value of ['pay-key-old-1111', 'pay-key-new-3333', 'whsec-new-4444', 'search-token-5555', 'hr-secret-6666']) {
      expect(rendered).not.toContain(value);
    }
    expect([...outcomes.values()].every((o) => !o.resolution.ok)).toBe(true);
  });

  it('get throws the VaultError behind the reason', async () => {
    const { vault } = setup();
    await expect(vault.get('nope')).rejects.toMatchObject({ code: 'UNRESOLVED', details: { name: 'nope', reason: 'missing' } });
    await vault.link('x', 'memory', { path: 'team/search' });
    await expect(vault.get('x')).rejects.toMatchObject({ code: 'UNRESOLVED', details: { reason: 'disconnected' } });
  });

  it('a missing provider package gives reason not-installed with the install command', async () => {
    const { vault, store } = setup();
    await store.update((data) => {
      data.secrets['aws-secret'] = {
        name: 'aws-secret',
        secret: { kind: 'linked', provider: 'aws', link: { secretId: 'x' } },
        allowedDomains: [],
        enabled: true,
        createdAt: 'x',
        updatedAt: 'x',
      };
      data.integrations['aws'] = {
        provider: 'aws',
        connectOptions: {},
        connectedAt: 'x',
        session: { provider: 'aws', organization: 'o', principal: 'p', expiresAt: null, createdAt: 'x', data: {} },
      };
    });
    const result = await new (vault.constructor as typeof import('../src/index.js').Vault)({
      store,
      resolveFrom: ['/nonexistent-dir'],
    }).resolveNames(['aws-secret']);
    expect(result.get('aws-secret')).toMatchObject({ ok: false, reason: 'not-installed', code: 'PROVIDER_NOT_INSTALLED' });
    expect(result.get('aws-secret')).toMatchObject({ fix: { action: 'install', package: '@vault/provider-aws' } });
  });

  it('cancels: an aborted signal rejects with ABORTED', async () => {
    const { vault } = setup({ memory: { latencyMs: 50 } });
    await vault.connect('memory', {}, testIO());
    await vault.link('x', 'memory', { path: 'team/search' });
    const controller = new AbortController();
    const pending = vault.get('x', { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    const aborted = new AbortController();
    aborted.abort();
    await expect(vault.resolveNames(['x'], { signal: aborted.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('one caller aborting does not cancel the shared fetch of another', async () => {
    const { vault, memory } = setup({ memory: { latencyMs: 30 } });
    await vault.connect('memory', {}, testIO());
    await vault.link('x', 'memory', { path: 'team/search' });
    const controller = new AbortController();
    const first = vault.get('x', { signal: controller.signal });
    const second = vault.get('x');
    setTimeout(() => controller.abort(), 5);
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await second).toBe('search-token-5555');
    expect(memory.stats.upstreamCalls).toBe(1);
  });
});

describe('values never reach the store', () => {
  it('keeps linked values out of the vault data', async () => {
    const { vault, store } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    await vault.get('pay');
    await vault.describe('pay');
    await vault.show('pay');
    const text = JSON.stringify(await store.read());
    for (const value of ['pay-key-new-3333', 'whsec-new-4444', 'pay-key-old-1111']) expect(text).not.toContain(value);
    expect(text).toContain('team/payments');
    expect(Object.keys(DOCS)).toContain('team/payments');
  });
});

function valueOf(map: Map<string, Resolution>, name: string): string | undefined {
  const r = map.get(name);
  return r?.ok ? r.value : undefined;
}

function reasons(map: Map<string, Resolution>): Record<string, string> {
  return Object.fromEntries([...map].map(([name, r]) => [name, r.ok ? 'ok' : r.reason]));
}
