import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Private temp folder per run; fails the run when a test leaves a `vl-*` folder behind. */
const TEMP_GUARD = fileURLToPath(new URL('./vitest.temp-guard.mjs', import.meta.url));

/**
 * Every package has two vitest projects:
 * - unit: `test/**\/*.test.ts`, no network except loopback servers the test starts itself;
 * - integration: `test/integration/**\/*.int.test.ts`, against the real peers that
 *   tools/peers/with-peers.mjs starts (OpenBao, moto, Lowkey Vault).
 */
export function packageTestConfig(options: { unitTimeoutMs?: number; integrationTimeoutMs?: number } = {}) {
  return defineConfig({
    test: {
      globalSetup: [TEMP_GUARD],
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['test/**/*.test.ts'],
            exclude: ['test/integration/**', '**/node_modules/**'],
            testTimeout: options.unitTimeoutMs ?? 20_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['test/integration/**/*.int.test.ts'],
            testTimeout: options.integrationTimeoutMs ?? 60_000,
            hookTimeout: 120_000,
            // Peers are shared by the files of a package: run them one at a time.
            fileParallelism: false,
          },
        },
      ],
    },
  });
}
