import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `paths` is a tiny entry (no engine, no crypto) for hosts that only need to find VAULTLINK_HOME fast.
export default defineConfig(packageBuild({ index: 'src/index.ts', paths: 'src/store/paths.ts' }));
