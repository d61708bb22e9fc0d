import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `client` is what every vaultlink command imports: it must stay small (no engine, no provider);
// `connect` is the part of it the lean `vaultlink get` path loads.
// `daemon` is the agent process's own entry, started by `vaultlink agent start`.
export default defineConfig(packageBuild({ index: 'src/server/index.ts', client: 'src/client/index.ts', connect: 'src/client/connect.ts', daemon: 'src/daemon.ts' }));
