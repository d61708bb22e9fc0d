/**
 * The suite must fail broken providers, or it proves nothing. Each case breaks one rule in
 * a copy of the memory provider and checks that exactly the matching groups fail.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VaultError, type AnyProvider, type DocumentResult } from '@vault/core/provider';
import type { MemoryProvider } from '@vault/core/testing';
import { lazySdkTests, runProviderConformance, type ConformanceOptions, type TestApi } from '../src/index.js';
import { memoryConformanceOptions } from './memory-fixtures.js';

interface Outcome {
  title: string;
  passed: boolean;
  error?: string;
}

type Register = (test: TestApi, options: ConformanceOptions) => void;

/** Runs the suite (or one group) in-process with a recording TestApi. */
async function runSuite(
  break_: (p: MemoryProvider) => AnyProvider,
  extra: Partial<ConformanceOptions> = {},
  register: Register = runProviderConformance,
): Promise<Outcome[]> {
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
  register(api, { ...memoryConformanceOptions('broken', break_), ...extra });
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

const failedGroups = (outcomes: Outcome[]): string[] => [
  ...new Set(outcomes.filter((o) => !o.passed).map((o) => o.title.split(' > ')[1]!)),
];

/** The memory provider with every read error passed through `map`, whether thrown or per document. */
function mapReadErrors(p: MemoryProvider, map: (error: VaultError) => VaultError): AnyProvider {
  const fix = (error: unknown): never => {
    throw error instanceof VaultError ? map(error) : error;
  };
  return {
    ...p,
    readDocument: (link, session, call) => p.readDocument(link, session, call).catch(fix),
    readBatch: async (links, session, call) =>
      (await p.readBatch!(links, session, call).catch(fix)).map((r): DocumentResult<unknown> =>
        r.ok ? r : { ok: false, error: map(r.error) },
      ),
  };
}

describe('the conformance suite', () => {
  it('passes the unmodified memory provider', async () => {
    const outcomes = await runSuite((p) => p);
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(15);
  });

  it('fails a provider that breaks the contract (a flag vaultlink reserves)', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      flags: { ...p.flags, link: [...p.flags.link, { name: 'domain', description: 'clash', type: 'string' }] },
    }));
    expect(failedGroups(outcomes)).toEqual(['contract shape']);
  });

  it('fails a provider that returns the wrong value for a latest link', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      select: (link, doc) => (link.version === undefined ? { value: 'something else' } : p.select(link, doc)),
    }));
    expect(failedGroups(outcomes)).toContain('resolve latest');
  });

  it('fails a provider that ignores the pinned version', async () => {
    const outcomes = await runSuite((p) => ({ ...p, parseLink: (fields) => ({ ...p.parseLink(fields), version: undefined }) }));
    expect(failedGroups(outcomes)).toContain('resolve pinned version');
  });

  it('fails a provider that turns an access denial into NOT_FOUND', async () => {
    const outcomes = await runSuite((p) =>
      mapReadErrors(p, (e) => (e.code === 'ACCESS_DENIED' ? new VaultError('NOT_FOUND', 'not found') : e)),
    );
    expect(failedGroups(outcomes)).toEqual(['not found vs access denied']);
  });

  it('fails a provider that puts the value into an error message', async () => {
    const outcomes = await runSuite((p) => ({
      ...p,
      select: (link, doc) => {
        if (link.key === 'user') throw new VaultError('KEY_NOT_FOUND', 'nope, but db-pass-v2-7d41 was close');
        return p.select(link, doc);
      },
    }));
    expect(failedGroups(outcomes)).toContain('no values in errors');
  });

  it('never repeats a value a provider leaked in its own failure messages', async () => {
    const down = (): never => {
      throw new VaultError('PROVIDER_UNAVAILABLE', 'down; the last value was db-pass-v2-7d41');
    };
    const outcomes = await runSuite((p) => ({ ...p, readDocument: async () => down(), readBatch: async () => down() }));
    expect(outcomes.some((o) => o.error?.includes('VaultError PROVIDER_UNAVAILABLE: down; the last value was ********'))).toBe(true);
    expect(outcomes.filter((o) => o.error?.includes('db-pass-v2-7d41'))).toEqual([]);
  });

  it('fails a provider whose document key splits one document into several reads', async () => {
    const outcomes = await runSuite((p) => ({ ...p, documentKey: (link) => `${p.documentKey(link)}#${link.key ?? ''}` }));
    expect(failedGroups(outcomes)).toEqual(['link parsing and validation', 'batching and de-duplication']);
  });

  it('fails a provider that ignores an aborted signal', async () => {
    const fresh = () => ({ signal: new AbortController().signal, timeoutMs: 1000 });
    const outcomes = await runSuite((p) => ({
      ...p,
      readDocument: (link, session) => p.readDocument(link, session, fresh()),
      readBatch: (links, session) => p.readBatch!(links, session, fresh()),
      describe: (link, session) => p.describe(link, session, fresh()),
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

  it('fails a provider whose links cannot be written back as link flags (manifests, relink fixes)', async () => {
    const outcomes = await runSuite((p) => ({ ...p, parseLink: (fields) => ({ ...p.parseLink(fields), region: 'eu' }) }));
    expect(failedGroups(outcomes)).toEqual(['link parsing and validation']);
    expect(outcomes.find((o) => !o.passed)?.title).toContain('writes every valid link back as link flags');
  });

  it('fails a provider that reports an expired session as NOT_FOUND', async () => {
    const outcomes = await runSuite((p) =>
      mapReadErrors(p, (e) => (e.code === 'REAUTH_REQUIRED' ? new VaultError('NOT_FOUND', 'gone') : e)),
    );
    expect(failedGroups(outcomes)).toEqual(['session expiry']);
  });

  it('leaves out a group given in skip, and fails when a required fixture is missing', async () => {
    const all = await runSuite((p) => p);
    const skipped = await runSuite((p) => p, { skip: { notFoundVsDenied: 'no policy engine in this backend', lazySdk: 'no SDK' } });
    expect(all.filter((o) => o.title.includes('not found vs access denied')).length).toBe(3);
    expect(skipped.filter((o) => o.title.includes('not found vs access denied'))).toEqual([]);
    expect(skipped.length).toBe(all.length - 3);
    expect(skipped.every((o) => o.passed)).toBe(true);

    const noCounter = await runSuite((p) => p, { upstreamCalls: undefined });
    expect(failedGroups(noCounter)).toEqual(['batching and de-duplication']);
    expect(noCounter.find((o) => !o.passed)?.error).toContain('options.upstreamCalls');
  });
});

describe('the lazy-SDK group', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A built provider in a temp folder next to a fake SDK package, importing it at `when`. */
  async function providerPackage(when: 'eager' | 'lazy' | 'never'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'vaultlink-lazy-kit-'));
    dirs.push(dir);
    await mkdir(join(dir, 'node_modules', 'fake-sdk'), { recursive: true });
    await writeFile(
      join(dir, 'node_modules', 'fake-sdk', 'package.json'),
      JSON.stringify({ name: 'fake-sdk', type: 'module', main: 'index.js' }),
    );
    await writeFile(
      join(dir, 'node_modules', 'fake-sdk', 'index.js'),
      'export const read = async () => { throw Object.assign(new Error("down"), { code: "PROVIDER_UNAVAILABLE" }); };',
    );
    const load =
      when === 'eager'
        ? "import * as sdk from 'fake-sdk';\nconst loadSdk = async () => sdk;"
        : when === 'lazy'
          ? "const loadSdk = () => import('fake-sdk');"
          : 'const loadSdk = async () => ({ read: async () => "x" });';
    await writeFile(
      join(dir, 'provider.mjs'),
      `${load}\nexport default { contractVersion: 2, id: 'kit', parseLink: (f) => ({ item: f.item }), documentKey: (l) => l.item, summarize: (l) => ({ identifier: l.item }),\n  readDocument: async () => (await loadSdk()).read() };\n`,
    );
    return join(dir, 'provider.mjs');
  }

  const lazyOptions = (entry: string): Partial<ConformanceOptions> => ({
    skip: {},
    lazySdk: {
      entries: [entry],
      sdkPackages: ['fake-sdk'],
      link: { item: 'a' },
      session: { provider: 'kit', organization: 'o', principal: 'p', expiresAt: null, createdAt: '', data: null },
    },
  });

  it('passes a provider that imports its SDK on the first read', async () => {
    const outcomes = await runSuite((p) => p, lazyOptions(await providerPackage('lazy')), lazySdkTests);
    expect(outcomes).toEqual([expect.objectContaining({ passed: true })]);
  }, 60_000);

  it('fails a provider that imports its SDK when it is loaded', async () => {
    const outcomes = await runSuite((p) => p, lazyOptions(await providerPackage('eager')), lazySdkTests);
    expect(outcomes).toEqual([
      expect.objectContaining({
        passed: false,
        error: expect.stringContaining('loading the provider and parsing a link loaded SDK modules'),
      }),
    ]);
  }, 60_000);

  it('fails when the first read never reaches the SDK (the check would prove nothing)', async () => {
    const outcomes = await runSuite((p) => p, lazyOptions(await providerPackage('never')), lazySdkTests);
    expect(outcomes).toEqual([expect.objectContaining({ passed: false, error: expect.stringContaining('loaded none of fake-sdk') })]);
  }, 60_000);
});
