/**
 * The provider testkit against OpenBao. Upstream calls are counted from OpenBao's audit log,
 * by the display name of the tokens this file creates. Links carry --kv-version, so every
 * counted call is a document read (engine detection is counted in kv.int.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProviderConformance } from '@vault/provider-testkit';
import type { AnyProvider } from '@vault/core/provider';
import { createHashicorpProvider } from '../../src/index.js';
import { SEED_READ_POLICY, auditCounter, openBaoPeer, seeder, tokenSession, uniq } from '../support/bao.js';

const peer = openBaoPeer();
const root = seeder(peer);
const base = uniq('conformance');
const tag = uniq('vlconf');
const counter = auditCounter(peer, `token-${tag}`);
const readPolicy = uniq('conf-read');
const narrowPolicy = uniq('conf-narrow');

const v2 = (path: string, key: string, extra: Record<string, string> = {}) => ({
  engine: 'secret',
  path: `${base}/${path}`,
  key,
  kvVersion: '2',
  ...extra,
});

async function sessionWith(provider: AnyProvider, policy: string, name: string) {
  const { token } = await root.createToken({ policies: [policy], ttl: '1h', displayName: `${tag}-${name}` });
  return tokenSession(provider, peer, token);
}

runProviderConformance(
  { describe, it, expect, beforeAll, afterAll },
  {
    name: 'hashicorp (OpenBao)',
    timeoutMs: 30_000,
    createProvider: () => createHashicorpProvider(),
    createSession: (provider) => sessionWith(provider, readPolicy, 'reader'),
    upstreamCalls: { reset: () => counter.reset(), count: () => counter.count() },
    // Loading the built provider loads no node-vault/axios/openid-client; the first read does
    // (against a closed port: the read only has to reach the SDK).
    lazySdk: {
      entries: ['index.js', 'index.cjs'].map((file) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))),
      sdkPackages: ['node-vault', 'axios', 'axios-retry', 'openid-client'],
      link: { engine: 'secret', path: 'app', key: 'k', kvVersion: '2' },
      session: {
        provider: 'hashicorp',
        organization: 'o',
        principal: 'p',
        expiresAt: null,
        createdAt: '',
        data: { token: 't', vaultAddr: 'http://127.0.0.1:9', method: 'token' },
      },
    },
    expiredSession: async (provider) => {
      const { token } = await root.createToken({ policies: [readPolicy], ttl: '1h', displayName: `${tag}-expired` });
      const session = await tokenSession(provider, peer, token);
      await root.revokeToken(token);
      return session;
    },
    fixtures: async () => {
      await root.writePolicy(readPolicy, SEED_READ_POLICY);
      await root.writePolicy(narrowPolicy, `path "secret/data/${base}/main" { capabilities = ["read"] }`);
      await root.kvPut('secret', `${base}/main`, { password: 'conf-latest-value-7f3a' });
      await root.kvPutVersions('secret', `${base}/rotating`, [{ key: 'conf-old-value-19c2' }, { key: 'conf-new-value-5d8e' }]);
      await root.kvPut('secret', `${base}/multi`, { a: 'conf-multi-a-0b1c', b: 'conf-multi-b-2d3e', c: 'conf-multi-c-4f5a' });
      await root.kvPut('secret', `${base}/forbidden`, { k: 'conf-forbidden-value-6b7c' });
      await root.kvPut('secret', `${base}/one`, { v: 'conf-distinct-1-8d9e' });
      await root.kvPut('secret', `${base}/two`, { v: 'conf-distinct-2-0a1b' });
      await root.kvPut('kv1', `${base}/three`, { v: 'conf-distinct-3-2c3d' }, { kvVersion: 1 });
      const deniedProvider = createHashicorpProvider();
      return {
        latest: { fields: v2('main', 'password'), value: 'conf-latest-value-7f3a' },
        pinned: {
          fields: v2('rotating', 'key', { version: '1' }),
          value: 'conf-old-value-19c2',
          latestOfSameSecret: { fields: v2('rotating', 'key'), value: 'conf-new-value-5d8e' },
        },
        missing: { fields: v2('does-not-exist', 'k') },
        denied: { fields: v2('forbidden', 'k'), session: await sessionWith(deniedProvider, narrowPolicy, 'narrow') },
        sameDocument: [
          { fields: v2('multi', 'a'), value: 'conf-multi-a-0b1c' },
          { fields: v2('multi', 'b'), value: 'conf-multi-b-2d3e' },
          { fields: v2('multi', 'c'), value: 'conf-multi-c-4f5a' },
        ],
        distinct: [
          { fields: v2('one', 'v'), value: 'conf-distinct-1-8d9e' },
          { fields: v2('two', 'v'), value: 'conf-distinct-2-0a1b' },
          { fields: { engine: 'kv1', path: `${base}/three`, key: 'v', kvVersion: '1' }, value: 'conf-distinct-3-2c3d' },
        ],
        invalid: [
          { fields: { path: 'a', key: 'k' }, field: 'engine' },
          { fields: { engine: 'secret', key: 'k' }, field: 'path' },
          { fields: { engine: 'secret', path: 'a' }, field: 'key' },
          { fields: { engine: 'secret', path: 'a', key: 'k', version: 'latest' }, field: 'version' },
          { fields: { engine: 'secret', path: 'a', key: 'k', kvVersion: '3' }, field: 'kv-version' },
          { fields: { engine: 'secret', path: '../a', key: 'k' }, field: 'path' },
          { fields: { engine: 'sys', path: 'a', key: 'k' }, field: 'engine' },
        ],
      };
    },
  },
);
