/**
 * Core's reference provider against the conformance suite: proves the suite passes a
 * correct provider. test/suite-catches.test.ts proves it fails broken ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryProvider, type MemoryProvider } from '@vault/core';
import { runProviderConformance } from '../src/index.js';
import { memoryDocuments } from './memory-fixtures.js';

let last: MemoryProvider | undefined;

runProviderConformance({ describe, it, expect, beforeAll, afterAll }, {
  name: 'memory',
  createProvider: () => (last = createMemoryProvider({ documents: memoryDocuments(), maxBatchSize: 2 })),
  createSession: async (provider) => (provider as MemoryProvider).createSession('alice'),
  fixtures: async () => ({
    latest: { fields: { path: 'app/db', key: 'password' }, value: 'db-pass-v2-7d41' },
    pinned: {
      fields: { path: 'app/db', key: 'password', version: '1' },
      value: 'db-pass-v1-09ac',
      latestOfSameSecret: { fields: { path: 'app/db', key: 'password' }, value: 'db-pass-v2-7d41' },
    },
    missing: { fields: { path: 'app/nothing-here' } },
    denied: { fields: { path: 'restricted/payroll' }, session: createMemoryProvider({ documents: memoryDocuments() }).createSession('mallory') },
    sameDocument: [
      { fields: { path: 'app/db', key: 'password' }, value: 'db-pass-v2-7d41' },
      { fields: { path: 'app/db', key: 'user' }, value: 'db-user-5519' },
    ],
    distinct: [
      { fields: { path: 'svc/one' }, value: 'svc-one-token-aa81' },
      { fields: { path: 'svc/two' }, value: 'svc-two-token-b3c2' },
      { fields: { path: 'svc/three' }, value: 'svc-three-token-c90d' },
      { fields: { path: 'svc/four', key: 'k' }, value: 'svc-four-value-d412' },
    ],
    invalid: [
      { fields: {}, field: 'path' },
      { fields: { path: '/leading/slash' }, field: 'path' },
      { fields: { path: 'a//b' }, field: 'path' },
      { fields: { path: 'app/db', version: 'latest' }, field: 'version' },
      { fields: { path: 'app/db', key: '' }, field: 'key' },
      { fields: { path: 'app/db', region: 'x' }, field: 'region' },
    ],
  }),
  upstreamCalls: { reset: () => last?.resetStats(), count: () => last?.stats.upstreamCalls ?? 0 },
  expiredSession: async (provider) => (provider as MemoryProvider).createSession('alice', { expiresAt: new Date(Date.now() - 60_000).toISOString() }),
});
