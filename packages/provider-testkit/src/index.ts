export {
  runProviderConformance,
  CONFORMANCE_GROUPS,
  contractTests,
  parsingTests,
  latestTests,
  pinnedTests,
  notFoundVsDeniedTests,
  batchTests,
  sessionExpiryTests,
  cancellationTests,
  lazySdkTests,
  redactionTests,
} from './suite.js';
export type { TestApi, LinkFixture, ConformanceFixtures, ConformanceOptions, ConformanceGroup, LazySdkOptions } from './types.js';
export { ConformanceFailure } from './groups/assert.js';
