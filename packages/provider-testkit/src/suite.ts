/**
 * The conformance suite. Call it from a test file with your runner's functions and a
 * provider factory (keyv test-suite style); it registers one describe() per group.
 */
import type { ConformanceGroup, ConformanceOptions, TestApi } from './types.js';
import { Harness } from './harness.js';
import { contractGroup } from './groups/contract.js';
import { parsingGroup } from './groups/parsing.js';
import { latestGroup, pinnedGroup } from './groups/resolve.js';
import { notFoundVsDeniedGroup } from './groups/not-found-vs-denied.js';
import { batchGroup } from './groups/batch.js';
import { sessionExpiryGroup } from './groups/session-expiry.js';
import { cancellationGroup } from './groups/cancellation.js';
import { redactionGroup } from './groups/redaction.js';

/** Groups in the order they run; redaction is last because it checks the errors the others produced. */
export const CONFORMANCE_GROUPS: ReadonlyArray<[ConformanceGroup, string, (h: Harness) => void]> = [
  ['contract', 'contract shape', contractGroup],
  ['parsing', 'link parsing and validation', parsingGroup],
  ['latest', 'resolve latest', latestGroup],
  ['pinned', 'resolve pinned version', pinnedGroup],
  ['notFoundVsDenied', 'not found vs access denied', notFoundVsDeniedGroup],
  ['batch', 'batching and de-duplication', batchGroup],
  ['sessionExpiry', 'session expiry', sessionExpiryGroup],
  ['cancellation', 'cancellation', cancellationGroup],
  ['redaction', 'no values in errors', redactionGroup],
];

export function runProviderConformance(test: TestApi, options: ConformanceOptions): void {
  const harness = new Harness(test, options);
  test.describe(`${options.name}: vaultlink provider conformance`, () => {
    // Seed once, before any group; groups also await it, so runners without beforeAll work.
    test.beforeAll?.(() => harness.fixtures().then(() => undefined), options.timeoutMs);
    for (const [group, title, register] of CONFORMANCE_GROUPS) {
      test.describe(title, () => register(harness));
    }
  });
}
