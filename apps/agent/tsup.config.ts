import { cpSync, existsSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `client` is what every vaultlink command imports: it must stay small (no engine, no provider);
// `connect` is the part of it the lean `vaultlink get` path loads.
// `fix-text` says a structured fix in words, for every host (the CLI's `Fix:` lines; the web UI
// bundles the same source file).
// `daemon` is the agent process's own entry, started by `vaultlink agent start`.
// `ui` is the web UI's HTTP server, loaded by the agent on the first `vaultlink ui` only.
// The web UI's built page (apps/web, a build dependency) is copied into dist/web, so it ships
// inside this package and nothing is built at install time.
const webDist = new URL('../web/dist/', import.meta.url);

export default defineConfig(
  packageBuild(
    {
      index: 'src/server/index.ts',
      client: 'src/client/index.ts',
      connect: 'src/client/connect.ts',
      'fix-text': 'src/shared/fix-text.ts',
      daemon: 'src/daemon.ts',
      ui: 'src/http/ui-server.ts',
    },
    {
      async onSuccess() {
        if (!existsSync(new URL('index.html', webDist))) throw new Error('apps/web is not built (run pnpm build from the repository root)');
        cpSync(webDist, new URL('./dist/web/', import.meta.url), { recursive: true });
      },
    },
  ),
);
