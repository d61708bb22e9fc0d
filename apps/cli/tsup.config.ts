import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// bin.ts starts with a `#!/usr/bin/env node` line; esbuild keeps it and tsup marks dist/bin.js executable.
export default defineConfig(packageBuild({ index: 'src/index.ts', bin: 'src/bin.ts' }));
