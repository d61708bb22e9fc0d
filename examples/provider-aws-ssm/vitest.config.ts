import { defineConfig } from 'vitest/config';

// Against a moto server with IAM auth enforced (see README): generous timeouts, and one file at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // The AWS SDK prints a 9-line notice on Node 20 for every client; and no test may ask the EC2
    // instance metadata service for credentials (the SDK's chain tries it last), only moto on loopback.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
