import { packageTestConfig } from '../../vitest.shared';

// Packing, two npm installs and the example's own test run: minutes on a busy 2-core machine.
export default packageTestConfig({ integrationTimeoutMs: 120_000 });
