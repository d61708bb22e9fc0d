import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// bin.ts starts with a `#!/usr/bin/env node` line; esbuild keeps it and tsup marks dist/bin.js executable.
// Splitting keeps the dynamically imported full CLI (commander, the engine) out of bin.js, so
// `get` served by the agent loads only the small agent client (see src/fast-get.ts).
export default defineConfig(packageBuild({ index: 'src/index.ts', bin: 'src/bin.ts' }, { splitting: true }));
