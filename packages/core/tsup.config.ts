import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// Three entry points; splitting keeps one copy of shared code (VaultError) for all of them.
export default defineConfig(packageBuild({ index: 'src/index.ts', provider: 'src/provider.ts', testing: 'src/testing.ts' }, { splitting: true }));
