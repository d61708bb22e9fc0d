import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

export default defineConfig([
  packageBuild({ index: 'src/index.ts' }),
  // The `vaultlink` executable: a CommonJS launcher (Node loads it faster than an ES module)
  // holding only the lean `get` path; it imports the ES module build for everything else.
  // bin.ts starts with a `#!/usr/bin/env node` line; esbuild keeps it and tsup marks the file executable.
  { ...packageBuild({ bin: 'src/bin.ts' }), format: ['cjs'], dts: false, clean: false },
]);
