import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// Four entry points; splitting keeps one copy of shared code (VaultError) for all of them.
// `paths` is tiny (no engine, no crypto) for hosts that only need to find VAULTLINK_HOME fast.
export default defineConfig(
  packageBuild(
    { index: 'src/index.ts', provider: 'src/provider.ts', testing: 'src/testing.ts', paths: 'src/paths.ts' },
    { splitting: true },
  ),
);
