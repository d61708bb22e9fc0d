/**
 * The conformance suite. Call it from a test file with your runner's functions and a
 * provider factory (keyv test-suite style); it registers one describe() per group. Each group
 * is also exported on its own (`contractTests`, `batchTests`, ...) to run just what applies.
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
import { lazySdkGroup } from './groups/lazy-sdk.js';
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
  ['lazySdk', 'lazy SDK loading', lazySdkGroup],
  ['redaction', 'no values in errors', redactionGroup],
];

function register(
  test: TestApi,
  options: ConformanceOptions,
  groups: ReadonlyArray<[ConformanceGroup, string, (h: Harness) => void]>,
): void {
  const harness = new Harness(test, options);
  test.describe(`${options.name}: vaultlink provider conformance`, () => {
    // Seed once, before any group; groups also await it, so runners without beforeAll work.
    test.beforeAll?.(() => harness.fixtures().then(() => undefined), options.timeoutMs);
    // A skipped group is left out whole: no empty describe, no skipped tests.
    for (const [name, title, group] of groups) if (!options.skip?.[name]) test.describe(title, () => group(harness));
  });
}

/** The whole suite. */
export function runProviderConformance(test: TestApi, options: ConformanceOptions): void {
  register(test, options, CONFORMANCE_GROUPS);
}

function single(group: ConformanceGroup): (test: TestApi, options: ConformanceOptions) => void {
  const entry = CONFORMANCE_GROUPS.find(([name]) => name === group)!;
  return (test, options) => register(test, options, [entry]);
}

export const contractTests = single('contract');
export const parsingTests = single('parsing');
export const latestTests = single('latest');
export const pinnedTests = single('pinned');
export const notFoundVsDeniedTests = single('notFoundVsDenied');
export const batchTests = single('batch');
export const sessionExpiryTests = single('sessionExpiry');
export const cancellationTests = single('cancellation');
export const lazySdkTests = single('lazySdk');
/** On its own it checks the errors it provokes; inside the whole suite, every error the suite saw. */
export const redactionTests = single('redaction');
