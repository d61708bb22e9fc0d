/**
 * The engine's half of contract v2: de-duplication, chunking, concurrency per provider,
 * Retry-After for the whole provider, and bounded time for every call (a frozen vault).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VaultError, type AnyProvider } from '../src/index.js';
import { defineProvider, readLinks } from '../src/provider.js';
import { ProviderGate } from '../src/engine/gate.js';
import { createMemoryProvider } from '../src/testing.js';

afterEach(() => vi.useRealTimers());

const documents = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`doc/${i}`, { a: `a-value-${i}`, b: `b-value-${i}` }]));

describe('readLinks', () => {
  it('reads each document once, in chunks of maxBatchSize, and selects every link from it', async () => {
    const memory = createMemoryProvider({ documents, maxBatchSize: 3 });
    const links = Object.keys(documents).flatMap((path) => [memory.parseLink({ path, key: 'a' }), memory.parseLink({ path, key: 'b' })]);
    const results = await readLinks(memory, links, memory.createSession());
    expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual(
      Object.keys(documents).flatMap((_, i) => [`a-value-${i}`, `b-value-${i}`]),
    );
    expect(memory.stats.upstreamCalls).toBe(3); // ceil(7 / 3)
    expect(memory.stats.upstreamReads).toBe(7);
  });

  it('fails only the links of a failing document or selection', async () => {
    const memory = createMemoryProvider({ documents, batch: false });
    const links = [
      memory.parseLink({ path: 'doc/1', key: 'a' }),
      memory.parseLink({ path: 'nope' }),
      memory.parseLink({ path: 'doc/1', key: 'zz' }),
    ];
    const results = await readLinks(memory, links, memory.createSession());
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'NOT_FOUND', 'KEY_NOT_FOUND']);
    expect(memory.stats.upstreamCalls).toBe(2);
  });

  it('reads each document of a batch refused with ACCESS_DENIED on its own, so only the denied one fails', async () => {
    // Like AWS SSM GetParameters: one name the caller may not read (or no batch permission) refuses the whole call.
    const memory = createMemoryProvider({
      documents: { ...documents, 'doc/secret': { versions: ['s'], deniedPrincipals: ['alice'] } },
      maxBatchSize: 10,
    });
    const batchCalls: number[] = [];
    memory.readBatch = async (links) => {
      batchCalls.push(links.length);
      throw new VaultError('ACCESS_DENIED', 'The batch read is not allowed.', { provider: 'memory' });
    };
    const links = ['doc/1', 'doc/secret', 'doc/2', 'doc/1'].map((path) => memory.parseLink({ path, key: 'a' }));
    const results = await readLinks(memory, links, memory.createSession('alice'));
    expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual(['a-value-1', 'ACCESS_DENIED', 'a-value-2', 'a-value-1']);
    expect(batchCalls).toEqual([3]);
    expect(memory.stats.upstreamCalls).toBe(3); // one readDocument per document; the refused batch never reached the memory store
  });

  it('fails every link of a batch refused for any other reason, without reading documents one by one', async () => {
    const memory = createMemoryProvider({ documents, maxBatchSize: 10 });
    memory.readBatch = async () => {
      throw new VaultError('REAUTH_REQUIRED', 'The session has expired.', { provider: 'memory' });
    };
    const results = await readLinks(
      memory,
      ['doc/1', 'doc/2'].map((path) => memory.parseLink({ path })),
      memory.createSession(),
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['REAUTH_REQUIRED', 'REAUTH_REQUIRED']);
    expect(memory.stats.upstreamCalls).toBe(0);
  });

  it('turns a thrown non-VaultError into INTERNAL without its message', async () => {
    const memory = createMemoryProvider({ documents, batch: false });
    memory.readDocument = async () => {
      throw new SyntaxError('Unexpected token in {"password": "a-value-1"}');
    };
    const [result] = await readLinks(memory, [memory.parseLink({ path: 'doc/1', key: 'a' })], memory.createSession());
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(!result!.ok && result!.error.toJSON())).not.toContain('a-value-1');
  });

  it('is cancelled as a whole by its signal', async () => {
    const memory = createMemoryProvider({ documents, latencyMs: 200 });
    const controller = new AbortController();
    const pending = readLinks(memory, [memory.parseLink({ path: 'doc/1' })], memory.createSession(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('ProviderGate: time bounds', () => {
  it('gives up on a frozen vault at the total bound with PROVIDER_UNAVAILABLE, even if the provider ignores its signal', async () => {
    const memory = createMemoryProvider({ documents, batch: false });
    memory.setFault('frozen');
    const gate = new ProviderGate('memory', { concurrency: 2, requestTimeoutMs: 20, totalTimeoutMs: 100 });
    const links = Object.keys(documents).map((path) => memory.parseLink({ path }));
    const results = await readLinks(memory, links, memory.createSession(), { gate });
    for (const result of results) {
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'PROVIDER_UNAVAILABLE', details: { timedOut: true, totalTimeoutMs: 100 } },
      });
    }
    // Two calls waited for the bound; the five queued behind them failed at once instead of waiting their turn.
    expect(memory.stats.upstreamCalls).toBe(2);
    expect(results.filter((r) => !r.ok && r.error.details['failedFast'] === true)).toHaveLength(5);
  });

  it('hands each call the per-request timeout and a signal that aborts at the bound', async () => {
    const seen: Array<{ timeoutMs: number; aborted: boolean }> = [];
    const gate = new ProviderGate('x', { concurrency: 1, requestTimeoutMs: 1234, totalTimeoutMs: 50 });
    const error = await gate
      .run(
        (call) =>
          new Promise((_, reject) => {
            call.signal.addEventListener('abort', () => {
              seen.push({ timeoutMs: call.timeoutMs, aborted: call.signal.aborted });
              reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
            });
          }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(seen).toEqual([{ timeoutMs: 1234, aborted: true }]);
  });

  it('tells a cancel by the caller (ABORTED) from the bound (PROVIDER_UNAVAILABLE)', async () => {
    const gate = new ProviderGate('x', { concurrency: 1, totalTimeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = gate.run(() => new Promise(() => undefined), controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('ProviderGate: throttling', () => {
  it('pauses the whole provider for Retry-After, then tries the throttled call again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const calls: string[] = [];
    let throttleNext = true;
    const gate = new ProviderGate('x', { concurrency: 4, totalTimeoutMs: 60_000 });
    const call = (name: string) => () => {
      calls.push(name);
      if (name === 'first' && throttleNext) {
        throttleNext = false;
        return Promise.reject(new VaultError('THROTTLED', 'slow down', { retryAfterSeconds: 2 }));
      }
      return Promise.resolve(name);
    };
    const first = gate.run(call('first'));
    await vi.advanceTimersByTimeAsync(0);
    const second = gate.run(call('second')); // starts while the provider is paused
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(1);
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
    expect(calls.sort()).toEqual(['first', 'first', 'second']);
  });

  it('answers THROTTLED when the vault keeps throttling', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const memory = createMemoryProvider({ documents, batch: false });
    memory.setFault('throttled', { retryAfterSeconds: 1 });
    const pending = readLinks(memory, [memory.parseLink({ path: 'doc/1' })], memory.createSession());
    await vi.advanceTimersByTimeAsync(5_000);
    const [result] = await pending;
    expect(result).toMatchObject({ ok: false, error: { code: 'THROTTLED', retryAfterSeconds: 1 } });
    expect(memory.stats.upstreamCalls).toBe(3); // the call and two retries after the pauses
  });
});

describe('a provider on contract v2 needs only its vault-specific parts', () => {
  it('works end to end with readDocument and select alone', async () => {
    const store: Record<string, string> = { one: '{"user":"u-1","pass":"p-1"}' };
    const provider: AnyProvider = defineProvider({
      id: 'tiny',
      displayName: 'Tiny',
      flags: {
        link: [
          { name: 'item', description: 'Item', type: 'string' },
          { name: 'field', description: 'Field', type: 'string' },
        ],
      },
      parseLink: (fields) => ({ item: fields.required('item', 'an item name'), field: fields.required('field', 'a field name') }),
      documentKey: (link) => link.item!,
      summarize: (link) => ({ identifier: `${link.item}#${link.field}` }),
      authenticate: async () => ({ provider: 'tiny', organization: 'o', principal: 'p', expiresAt: null, createdAt: '', data: {} }),
      readDocument: async (link) => {
        const text = store[link.item!];
        if (text === undefined) throw new VaultError('NOT_FOUND', `No item ${link.item}.`);
        return JSON.parse(text) as Record<string, string>;
      },
      select: (link, doc) => ({ value: doc[link.field!]! }),
      describe: async () => ({}),
    });
    const links = [provider.parseLink({ item: 'one', field: 'user' }), provider.parseLink({ item: 'one', field: 'pass' })];
    expect(
      await readLinks(provider, links, { provider: 'tiny', organization: 'o', principal: 'p', expiresAt: null, createdAt: '', data: {} }),
    ).toEqual([
      { ok: true, value: 'u-1' },
      { ok: true, value: 'p-1' },
    ]);
  });
});
