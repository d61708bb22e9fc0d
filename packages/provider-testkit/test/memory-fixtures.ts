import type { AnyProvider } from '@vault/core/provider';
import { createMemoryProvider, type MemoryDocumentInput, type MemoryProvider } from '@vault/core/testing';
import type { ConformanceOptions } from '../src/index.js';

/** Test data for the memory provider runs (fake values). */
export function memoryDocuments(): Record<string, MemoryDocumentInput> {
  return {
    'app/db': {
      versions: [
        { user: 'db-user-5519', password: 'db-pass-v1-09ac' },
        { user: 'db-user-5519', password: 'db-pass-v2-7d41' },
      ],
    },
    'restricted/payroll': { versions: ['payroll-secret-e6f0'], deniedPrincipals: ['mallory'] },
    'svc/one': 'svc-one-token-aa81',
    'svc/two': 'svc-two-token-b3c2',
    'svc/three': 'svc-three-token-c90d',
    'svc/four': { k: 'svc-four-value-d412' },
  };
}

/**
 * Suite options for the memory provider over memoryDocuments(). `wrap` turns each fresh
 * provider into the one under test (test/suite-catches.test.ts breaks it there); sessions and
 * the call counter always come from the memory provider underneath.
 */
export function memoryConformanceOptions(
  name: string,
  wrap: (provider: MemoryProvider) => AnyProvider = (provider) => provider,
): ConformanceOptions {
  let last: MemoryProvider | undefined;
  return {
    name,
    createProvider: () => {
      last = createMemoryProvider({ documents: memoryDocuments(), maxBatchSize: 2 });
      return wrap(last);
    },
    createSession: async () => last!.createSession('alice'),
    fixtures: async () => ({
      latest: { fields: { path: 'app/db', key: 'password' }, value: 'db-pass-v2-7d41' },
      pinned: {
        fields: { path: 'app/db', key: 'password', version: '1' },
        value: 'db-pass-v1-09ac',
        latestOfSameSecret: { fields: { path: 'app/db', key: 'password' }, value: 'db-pass-v2-7d41' },
      },
      missing: { fields: { path: 'app/nothing-here' } },
      denied: {
        fields: { path: 'restricted/payroll' },
        session: createMemoryProvider({ documents: memoryDocuments() }).createSession('mallory'),
      },
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
    expiredSession: async () => last!.createSession('alice', { expiresAt: new Date(Date.now() - 60_000).toISOString() }),
    // Core's memory provider uses no SDK; the lazy-SDK check is proved against the three cloud providers.
    skip: { lazySdk: 'the memory provider has no SDK to load' },
  };
}
