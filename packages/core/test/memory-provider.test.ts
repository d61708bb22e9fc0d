import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchResult, VaultError } from '../src/index.js';
import { readLinks } from '../src/provider.js';
import { createMemoryProvider, MEMORY_PROVIDER_FILE_ENV } from '../src/testing.js';
import { testIO } from './helpers.js';

const signal = () => new AbortController().signal;

/** The error of the first link, whether the read threw it or returned it. */
async function failure(pending: Promise<FetchResult[]>): Promise<unknown> {
  try {
    const [first] = await pending;
    return first && !first.ok ? first.error : undefined;
  } catch (error) {
    return error;
  }
}
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vaultlink-memory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('memory provider', () => {
  it('ships a demo dataset when given no options', async () => {
    const p = createMemoryProvider({ env: {} });
    const session = p.createSession();
    const results = await readLinks(
      p,
      [p.parseLink({ path: 'demo/payments', key: 'api_key' }), p.parseLink({ path: 'demo/payments', key: 'webhook_secret' })],
      session,
      { signal: signal() },
    );
    expect(results.every((r: FetchResult) => r.ok)).toBe(true);
    expect(p.stats.upstreamReads).toBe(1);
  });

  it('is seeded from VAULTLINK_MEMORY_PROVIDER_FILE (for separate CLI processes)', async () => {
    const file = join(dir, 'seed.json');
    await writeFile(
      file,
      JSON.stringify({ documents: { 'ci/token': 'seeded-token-1234', 'ci/json': { versions: [{ a: 'one' }, { a: 'two' }] } } }),
    );
    const p = createMemoryProvider({ env: { [MEMORY_PROVIDER_FILE_ENV]: file } });
    const session = p.createSession();
    const [token, v1] = await readLinks(
      p,
      [p.parseLink({ path: 'ci/token' }), p.parseLink({ path: 'ci/json', key: 'a', version: '1' })],
      session,
      { signal: signal() },
    );
    expect(token).toMatchObject({ ok: true, value: 'seeded-token-1234', version: '1' });
    expect(v1).toMatchObject({ ok: true, value: 'one', version: '1' });
  });

  it('reports a malformed seed file as INVALID_CONFIG without quoting its content', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"documents": {"a": "secret-in-broken-file"');
    const error = (() => {
      try {
        createMemoryProvider({ env: { [MEMORY_PROVIDER_FILE_ENV]: file } });
      } catch (e) {
        return e as VaultError;
      }
      throw new Error('expected INVALID_CONFIG');
    })();
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain(file);
    expect(JSON.stringify(error.toJSON())).not.toContain('secret-in-broken-file');
    await writeFile(file, JSON.stringify({ documents: { a: { versions: [] } } }));
    expect(() => createMemoryProvider({ env: { [MEMORY_PROVIDER_FILE_ENV]: file } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });

  it('returns whole JSON documents without a key, and KEY_NOT_FOUND for a missing key', async () => {
    const p = createMemoryProvider({ documents: { d: { k: 'v-1234' }, t: 'plain-text' } });
    const [whole, missing, plain] = await readLinks(
      p,
      [p.parseLink({ path: 'd' }), p.parseLink({ path: 'd', key: 'x' }), p.parseLink({ path: 't', key: 'x' })],
      p.createSession(),
      { signal: signal() },
    );
    expect(whole).toMatchObject({ ok: true, value: '{"k":"v-1234"}' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'KEY_NOT_FOUND' } });
    expect(plain).toMatchObject({ ok: false, error: { code: 'KEY_NOT_FOUND' } });
  });

  it('denies before revealing existence, also for paths under a denied document', async () => {
    const p = createMemoryProvider({ documents: { hr: { versions: ['x-1234'], deniedPrincipals: ['eve'] }, 'hr/pay': 'y-1234' } });
    const results = await readLinks(
      p,
      [p.parseLink({ path: 'hr' }), p.parseLink({ path: 'hr/pay' }), p.parseLink({ path: 'hr/none' })],
      p.createSession('eve'),
      { signal: signal() },
    );
    expect(results.map((r: FetchResult) => (r.ok ? 'ok' : r.error.code))).toEqual(['ACCESS_DENIED', 'ACCESS_DENIED', 'ACCESS_DENIED']);
  });

  it('simulates expired and revoked sessions, faults and latency with cancellation', async () => {
    const p = createMemoryProvider({ documents: { a: 'a-1234' }, latencyMs: 50 });
    const link = p.parseLink({ path: 'a' });
    expect(
      await failure(
        readLinks(p, [link], p.createSession('x', { expiresAt: new Date(Date.now() - 1).toISOString() }), { signal: signal() }),
      ),
    ).toMatchObject({ code: 'REAUTH_REQUIRED', fix: { action: 'reauth', provider: 'memory' } });
    const session = p.createSession();
    p.revokeSessions();
    expect(await failure(readLinks(p, [link], session, { signal: signal() }))).toMatchObject({ code: 'REAUTH_REQUIRED' });
    await expect(p.refresh!(session, {})).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    p.setFault('timeout');
    expect(await failure(readLinks(p, [link], p.createSession(), { signal: signal() }))).toMatchObject({ code: 'TIMEOUT' });
    p.setFault(undefined);
    const controller = new AbortController();
    const pending = readLinks(p, [link], p.createSession(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('authenticates with the principal given, and sessions expire after sessionTtlSeconds', async () => {
    let now = 0;
    const p = createMemoryProvider({ sessionTtlSeconds: 10, now: () => now, env: {} });
    const session = await p.authenticate({ principal: 'carol' }, testIO(), {});
    expect(session).toMatchObject({ provider: 'memory', principal: 'carol', expiresAt: new Date(10_000).toISOString() });
    now = 10_000;
    expect(await failure(readLinks(p, [p.parseLink({ path: 'demo/search-token' })], session, { signal: signal() }))).toMatchObject({
      code: 'REAUTH_REQUIRED',
    });
    const renewed = await p.refresh!(session, {});
    expect((await readLinks(p, [p.parseLink({ path: 'demo/search-token' })], renewed, { signal: signal() }))[0]?.ok).toBe(true);
  });
});
