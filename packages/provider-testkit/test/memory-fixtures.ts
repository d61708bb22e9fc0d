import type { MemoryDocumentInput } from '@vault/core';

/** Test data for the memory provider runs (fake values). */
export function memoryDocuments(): Record<string, MemoryDocumentInput> {
  return {
    'app/db': { versions: [{ user: 'db-user-5519', password: 'db-pass-v1-09ac' }, { user: 'db-user-5519', password: 'db-pass-v2-7d41' }] },
    'restricted/payroll': { versions: ['payroll-secret-e6f0'], deniedPrincipals: ['mallory'] },
    'svc/one': 'svc-one-token-aa81',
    'svc/two': 'svc-two-token-b3c2',
    'svc/three': 'svc-three-token-c90d',
    'svc/four': { k: 'svc-four-value-d412' },
  };
}
