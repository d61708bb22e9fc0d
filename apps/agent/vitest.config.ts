import { packageTestConfig } from '../../vitest.shared';

export default packageTestConfig({ unitTimeoutMs: 60_000 });
