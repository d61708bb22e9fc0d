export { runProviderConformance, CONFORMANCE_GROUPS } from './suite.js';
export type { TestApi, LinkFixture, ConformanceFixtures, ConformanceOptions, ConformanceGroup } from './types.js';
export { ConformanceFailure } from './groups/assert.js';
