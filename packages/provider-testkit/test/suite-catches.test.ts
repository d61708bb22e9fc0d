/**
 * The suite must fail broken providers, or it proves nothing. Each case breaks one rule in
 * a copy of the memory provider and checks that exactly the matching tests fail.
 */
import { describe, expect, it } from 'vitest';
import { VaultError, type AnyProvider, type FetchResult, type MemoryProvider } from '@vault/core';
import { runProviderConformance, type ConformanceOptions, type TestApi } from '../src/index.js';
import { memoryConformanceOptions } from './memory-fixtures.js';

interface Outcome {
  title: string;
  passed: boolean;
  error?: string;
}

/** Runs the whole suite in-process with a recording TestApi. */
async function runSuite(break_: (p: MemoryProvider) => AnyProvider, extra: Partial<ConformanceOptions> = {}): Promise<Outcome[]> {
  const tests: Array<{ title: string; fn: (...args: unknown[]) => unknown }> = [];
  const befores: Array<() => unknown> = [];
  const path: string[] = [];
  const api: TestApi = {
    describe: (name, fn) => {
      path.push(name);
      fn();
      path.pop();
    },
    it: (name, fn) => void tests.push({ title: [...path, name].join(' > '), fn }),
    expect,
    beforeAll: (fn) => void befores.push(fn),
  };
  runProviderConformance(api, { ...memoryConformanceOptions('broken', break_), ...extra });
  for (const before of befores) await before();
  const outcomes: Outcome[] = [];
  for (const test of tests) {
    try {
      await test.fn({});
      outcomes.push({ title: test.title, passed: true });
    } catch (error) {
      outcomes.push({ title: test.title, passed: false, error: (error as Error).message });
    }
  }
  return outcomes;
}

const failedGroups = (outcomes: Outcome[]): string[] => [...new Set(outcomes.filter((o) => !o.passed).map((o) => o.title.split(' > ')[1]!))];

describe('the conformance suite', () => {
  it('passes the unmodified memory provider', async () => {
    const outcomes = await runSuite((p) => p);
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(15);
  });

  it('fails a provider that turns an access denial into NOT_FOUND', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      fetch: async (links, session, options) =>
        (await p.fetch(links, session, options)).map((r): FetchResult =>
          !r.ok && r.error.code === 'ACCESS_DENIED' ? { ok: false, error: new VaultError('NOT_FOUND', 'not found') } : r,
        ),
    }));
    expect(failedGroups(outcomes)).toEqual(['not found vs access denied']);
  });

  it('fails a provider that puts the value into an error message', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      fetch: async (links, session, options) => {
        const results = await p.fetch(links, session, options);
        return results.map((r): FetchResult => (r.ok || links.length > 1 ? r : { ok: false, error: new VaultError('NOT_FOUND', `nope, but db-pass-v2-7d41 was close`) }));
      },
    }));
    expect(failedGroups(outcomes)).toContain('no values in errors');
  });

  it('never repeats a value a provider leaked in its own failure messages', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      fetch: async (links) => links.map((): FetchResult => ({ ok: false, error: new VaultError('PROVIDER_UNAVAILABLE', 'down; the last value was db-pass-v2-7d41') })),
    }));
    expect(outcomes.some((o) => o.error?.includes('VaultError PROVIDER_UNAVAILABLE: down; the last value was ********'))).toBe(true);
    expect(outcomes.filter((o) => o.error?.includes('db-pass-v2-7d41'))).toEqual([]);
  });

  it('fails a provider that reads a document once per link', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      fetch: async (links, session, options) => (await Promise.all(links.map((l) => p.fetch([l], session, options)))).flat(),
    }));
    expect(failedGroups(outcomes)).toEqual(['batching and de-duplication']);
  });

  it('fails a provider that ignores an aborted signal', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      fetch: (links, session) => p.fetch(links, session, { signal: new AbortController().signal }),
      describe: (link, session) => p.describe(link, session, { signal: new AbortController().signal }),
    }));
    expect(failedGroups(outcomes)).toEqual(['cancellation']);
  });

  it('fails a provider whose INVALID_LINK does not name the bad field', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      parseLink: (fields) => {
        try {
          return p.parseLink(fields);
        } catch {
          throw new VaultError('INVALID_LINK', 'bad link', { issues: [{ field: 'input', problem: 'bad', expected: 'good' }] });
        }
      },
    }));
    expect(failedGroups(outcomes)).toEqual(['link parsing and validation']);
  });

  it('fails a provider that reports an expired session as NOT_FOUND', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      fetch: async (links, session, options) => {
        try {
          return await p.fetch(links, session, options);
        } catch (error) {
          if ((error as VaultError).code === 'REAUTH_REQUIRED') return links.map(() => ({ ok: false, error: new VaultError('NOT_FOUND', 'gone') }));
          throw error;
        }
      },
    }));
    expect(failedGroups(outcomes)).toEqual(['session expiry']);
  });

  it('leaves out a group given in skip, and fails when a required fixture is missing', async () => {
    const all = await runSuite((p) => p);
    const skipped = await runSuite((p) => p, { skip: { notFoundVsDenied: 'no policy engine in this backend' } });
    expect(all.filter((o) => o.title.includes('not found vs access denied')).length).toBe(3);
    expect(skipped.filter((o) => o.title.includes('not found vs access denied'))).toEqual([]);
    expect(skipped.length).toBe(all.length - 3);
    expect(skipped.every((o) => o.passed)).toBe(true);

    const noCounter = await runSuite((p) => p, { upstreamCalls: undefined });
    expect(failedGroups(noCounter)).toEqual(['batching and de-duplication']);
    expect(noCounter.find((o) => !o.passed)?.error).toContain('options.upstreamCalls');
  });
});
