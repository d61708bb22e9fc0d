/**
 * KV behaviour against OpenBao: v1 and v2, engine detection under the guide's read policy
 * (which denies sys/*), detection without sys/ at all, pinned and deleted versions, missing
 * keys, non-KV engines, policy denial, expired tokens, `show` metadata, and request counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVaultError, type FetchResult, type Session, readLinks } from '@vault/core/provider';
import { createHashicorpProvider, type HashicorpProvider } from '../../src/index.js';
import { SEED_READ_POLICY, auditCounter, openBaoPeer, seeder, tokenSession, uniq } from '../support/bao.js';
import { startProxy, type TestProxy } from '../support/proxy.js';

const peer = openBaoPeer();
const root = seeder(peer);
const base = uniq('kv');
const tag = uniq('vlkv');
const counter = auditCounter(peer, `token-${tag}`);
const readPolicy = uniq('kv-read');
const narrowPolicy = uniq('kv-narrow');
const signal = () => new AbortController().signal;
const VALUES = ['kv-v2-user-value', 'kv-v2-pass-value', 'kv-v1-pass-value', 'kv-old-1', 'kv-new-2', 'kv-deleted-3', 'kv-transit'];

let readerToken: string;
let narrowToken: string;
let proxy: TestProxy;

beforeAll(async () => {
  await root.writePolicy(readPolicy, SEED_READ_POLICY);
  // A least-privilege KV v2 policy: data only, no metadata, nothing else.
  await root.writePolicy(narrowPolicy, `path "secret/data/${base}/app" { capabilities = ["read"] }`);
  await root.kvPut('secret', `${base}/app`, { user: 'kv-v2-user-value', pass: 'kv-v2-pass-value', port: 5432 });
  await root.kvPut('kv1', `${base}/app`, { pass: 'kv-v1-pass-value' }, { kvVersion: 1 });
  await root.kvPutVersions('secret', `${base}/versions`, [{ v: 'kv-old-1' }, { v: 'kv-new-2' }, { v: 'kv-deleted-3' }]);
  await root.kvDeleteVersions('secret', `${base}/versions`, [3]);
  await root.mount(`${base}-transit`, 'transit');
  readerToken = (await root.createToken({ policies: [readPolicy], ttl: '1h', displayName: `${tag}-reader` })).token;
  narrowToken = (await root.createToken({ policies: [narrowPolicy], ttl: '1h', displayName: `${tag}-narrow` })).token;
  proxy = await startProxy(peer.addr, { blockSys: true });
});

afterAll(async () => {
  await proxy?.close();
});

async function connected(token = readerToken, addr = peer.addr): Promise<{ provider: HashicorpProvider; session: Session }> {
  const provider = createHashicorpProvider({ retries: 0 });
  const session = await tokenSession(provider, { ...peer, addr }, token);
  return { provider, session };
}

async function fetchOne(provider: HashicorpProvider, session: Session, fields: Record<string, string>): Promise<FetchResult> {
  const [result] = await readLinks(provider, [provider.parseLink(fields)], session as never, { signal: signal() });
  return result!;
}

function codeOf(result: FetchResult): string {
  return result.ok ? 'OK' : result.error.code;
}

describe("engine detection under the guide's read policy (sys/* denied)", () => {
  it('reads KV v2 and KV v1 without a --kv-version hint', async () => {
    const { provider, session } = await connected();
    expect(await fetchOne(provider, session, { engine: 'secret', path: `${base}/app`, key: 'user' })).toEqual({
      ok: true,
      value: 'kv-v2-user-value',
      version: '1',
    });
    expect(await fetchOne(provider, session, { engine: 'kv1', path: `${base}/app`, key: 'pass' })).toEqual({
      ok: true,
      value: 'kv-v1-pass-value',
    });
    // Non-string JSON values come back as JSON text.
    expect(await fetchOne(provider, session, { engine: 'secret', path: `${base}/app`, key: 'port' })).toMatchObject({
      ok: true,
      value: '5432',
    });
  });

  it('three keys of one path cost one read; detection once per mount; a hint skips it', async () => {
    const { provider, session } = await connected();
    const links = ['user', 'pass', 'port'].map((key) => provider.parseLink({ engine: 'secret', path: `${base}/app`, key }));
    counter.reset();
    const first = await readLinks(provider, links, session as never, { signal: signal() });
    expect(first.map(codeOf)).toEqual(['OK', 'OK', 'OK']);
    expect(counter.paths()).toEqual([`sys/internal/ui/mounts/secret`, `secret/data/${base}/app`]);

    counter.reset();
    await readLinks(provider, links, session as never, { signal: signal() });
    expect(counter.paths()).toEqual([`secret/data/${base}/app`]);

    const hinted = createHashicorpProvider();
    const hintedLinks = ['user', 'pass'].map((key) => hinted.parseLink({ engine: 'secret', path: `${base}/app`, key, kvVersion: '2' }));
    counter.reset();
    expect((await readLinks(hinted, hintedLinks, session as never, { signal: signal() })).map(codeOf)).toEqual(['OK', 'OK']);
    expect(counter.paths()).toEqual([`secret/data/${base}/app`]);
  });
});

describe('engine detection without sys/ (a gateway that refuses /v1/sys/*)', () => {
  it('probes the KV paths: v2 via Vault\'s "versioned K/V" answer, v1 directly', async () => {
    const { provider, session } = await connected(readerToken, proxy.addr);
    counter.reset();
    expect(await fetchOne(provider, session, { engine: 'secret', path: `${base}/app`, key: 'pass' })).toMatchObject({
      ok: true,
      value: 'kv-v2-pass-value',
    });
    // Refused ui/mounts (never reached Vault), the v1-style probe, then the v2 read.
    expect(counter.paths()).toEqual([`secret/${base}/app`, `secret/data/${base}/app`]);
    expect(await fetchOne(provider, session, { engine: 'kv1', path: `${base}/app`, key: 'pass' })).toEqual({
      ok: true,
      value: 'kv-v1-pass-value',
    });
    // The probe result is cached per mount: the next v2 read goes straight to data/.
    counter.reset();
    expect(await fetchOne(provider, session, { engine: 'secret', path: `${base}/app`, key: 'user' })).toMatchObject({ ok: true });
    expect(counter.paths()).toEqual([`secret/data/${base}/app`]);
  });

  it('with a data-only KV v2 policy, the denied v1 probe falls through to the v2 path', async () => {
    const { provider, session } = await connected(narrowToken, proxy.addr);
    expect(await fetchOne(provider, session, { engine: 'secret', path: `${base}/app`, key: 'user' })).toMatchObject({
      ok: true,
      value: 'kv-v2-user-value',
    });
  });

  it('reports a non-KV engine as UNSUPPORTED_ENGINE and an unknown mount as NOT_FOUND', async () => {
    const { provider, session } = await connected(readerToken, proxy.addr);
    expect(codeOf(await fetchOne(provider, session, { engine: `${base}-transit`, path: 'keys', key: 'k' }))).toBe('UNSUPPORTED_ENGINE');
    const missing = await fetchOne(provider, session, { engine: `${base}-nomount`, path: 'x', key: 'k' });
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(!missing.ok && missing.error.message).toContain(`No secrets engine is mounted at ${base}-nomount/`);
  });
});

describe('versions', () => {
  it('pins KV v2 versions and reports a deleted version as NOT_FOUND, saying it was deleted', async () => {
    const { provider, session } = await connected();
    const link = (version?: string) => ({ engine: 'secret', path: `${base}/versions`, key: 'v', ...(version ? { version } : {}) });
    expect(await fetchOne(provider, session, link('1'))).toEqual({ ok: true, value: 'kv-old-1', version: '1' });
    expect(await fetchOne(provider, session, link('2'))).toEqual({ ok: true, value: 'kv-new-2', version: '2' });
    const latest = await fetchOne(provider, session, link());
    expect(codeOf(latest)).toBe('NOT_FOUND');
    expect(!latest.ok && latest.error.message).toMatch(/Version 3 of secret\/.*versions was deleted at /);
    expect(codeOf(await fetchOne(provider, session, link('9')))).toBe('NOT_FOUND');
  });

  it('rejects --version with --kv-version 1 at link time', () => {
    const provider = createHashicorpProvider();
    expect(() => provider.parseLink({ engine: 'kv1', path: 'a', key: 'k', version: '2', kvVersion: '1' })).toThrow(
      /KV v1 keeps no versions/,
    );
  });
});

describe('failures', () => {
  it('a missing key is KEY_NOT_FOUND listing the key names, never values', async () => {
    const { provider, session } = await connected();
    const result = await fetchOne(provider, session, { engine: 'secret', path: `${base}/app`, key: 'password' });
    expect(codeOf(result)).toBe('KEY_NOT_FOUND');
    const error = !result.ok ? result.error : undefined;
    expect(error?.message).toContain('Keys there: pass, port, user.');
    for (const value of VALUES) expect(JSON.stringify(error?.toJSON()) + error?.message).not.toContain(value);
  });

  it('a non-KV engine is UNSUPPORTED_ENGINE (detected through sys/internal/ui/mounts)', async () => {
    const { provider, session } = await connected();
    const result = await fetchOne(provider, session, { engine: `${base}-transit`, path: 'keys/x', key: 'k' });
    expect(codeOf(result)).toBe('UNSUPPORTED_ENGINE');
    expect(!result.ok && result.error.message).toContain('"transit" secrets engine');
  });

  it('a policy denial is ACCESS_DENIED naming the path and the capability', async () => {
    const { provider, session } = await connected(narrowToken);
    const result = await fetchOne(provider, session, { engine: 'secret', path: `${base}/versions`, key: 'v' });
    expect(codeOf(result)).toBe('ACCESS_DENIED');
    expect(!result.ok && result.error.message).toContain(`Vault denied "read" on secret/data/${base}/versions`);
  });

  it('an expired token is REAUTH_REQUIRED with the reauth fix', async () => {
    const { token } = await root.createToken({ policies: [readPolicy], ttl: '2s', displayName: `${tag}-short` });
    const { provider, session } = await connected(token);
    expect(session.expiresAt && Date.parse(session.expiresAt) - Date.now()).toBeLessThanOrEqual(2_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const result = await fetchOne(provider, session, { engine: 'secret', path: `${base}/app`, key: 'user' });
    expect(codeOf(result)).toBe('REAUTH_REQUIRED');
    expect(!result.ok && result.error.fix).toEqual({ action: 'reauth', provider: 'hashicorp' });
    // The session's own expiry is not what decided it: a session that claims to be valid gets the same answer.
    const lying = { ...session, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
    expect(
      codeOf(
        (
          await readLinks(provider, [provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'user' })], lying as never, {
            signal: signal(),
          })
        )[0]!,
      ),
    ).toBe('REAUTH_REQUIRED');
  });
});

describe('describe (show)', () => {
  it('KV v2: engine, version, created time and version metadata; never the value', async () => {
    const { provider, session } = await connected();
    const info = await provider.describe(
      provider.parseLink({ engine: 'secret', path: `${base}/versions`, key: 'v', version: '2' }),
      session as never,
      { signal: signal(), timeoutMs: 30_000 },
    );
    expect(info).toMatchObject({
      engine: 'secret',
      kvVersion: 2,
      path: `${base}/versions`,
      key: 'v',
      version: 2,
      pinned: true,
      currentVersion: 3,
      oldestVersion: 0,
    });
    expect(Date.parse(String(info['createdTime']))).not.toBeNaN();
    for (const value of VALUES) expect(JSON.stringify(info)).not.toContain(value);
  });

  it('KV v1: engine, KV version, path and key names', async () => {
    const { provider, session } = await connected();
    const info = await provider.describe(provider.parseLink({ engine: 'kv1', path: `${base}/app`, key: 'pass' }), session as never, {
      signal: signal(),
      timeoutMs: 30_000,
    });
    expect(info).toEqual({ engine: 'kv1', kvVersion: 1, path: `${base}/app`, key: 'pass', keys: ['pass'] });
  });

  it('says so when the policy does not grant metadata, and still shows the rest', async () => {
    const { provider, session } = await connected(narrowToken);
    const info = await provider.describe(provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'user' }), session as never, {
      signal: signal(),
      timeoutMs: 30_000,
    });
    expect(info).toMatchObject({ engine: 'secret', kvVersion: 2, version: 1 });
    expect(String(info['metadata'])).toContain(`secret/metadata/${base}/app`);
  });

  it('a missing key fails describe with KEY_NOT_FOUND', async () => {
    const { provider, session } = await connected();
    const error = await provider
      .describe(provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'nope' }), session as never, {
        signal: signal(),
        timeoutMs: 30_000,
      })
      .catch((e: unknown) => e);
    expect(isVaultError(error, 'KEY_NOT_FOUND')).toBe(true);
  });
});
