/**
 * Issue 11 item 1 for pnpm and yarn consumers: the packed tarballs installed into a folder outside
 * the workspace with its own package.json, by `pnpm add --ignore-workspace` and by yarn classic
 * (1.22, `yarn install`). pnpm's isolated layout gives newman its own postman-runtime 7.39.1
 * under node_modules/.pnpm, yarn's hoisting nests it under node_modules/newman, as npm does; the
 * runner must still drive its own 7.56.1, so `{{vault:k}}` is resolved, masked in the output,
 * and never sent literally. (npm: npm-install.int.test.ts.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, type PackedInstall, type RunResult } from '../../../../tools/packed/packed-install.mjs';
import { collection } from '../helpers/collections.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/** Where each manager puts newman's own postman-runtime. */
const NEWMAN_RUNTIME_AT = {
  pnpm: /\/node_modules\/\.pnpm\/postman-runtime@7\.39\.1\/node_modules\/postman-runtime$/,
  yarn: /\/node_modules\/newman\/node_modules\/postman-runtime$/,
};

describe.each(['pnpm', 'yarn'] as const)('installed with %s from packed tarballs', (manager) => {
  const VALUE = `${manager}-installed-secret-${Date.now().toString(36)}`;
  let install: PackedInstall;
  let server: RecordingServer;
  let home: string;
  let env: Record<string, string | undefined>;
  let result: RunResult;

  const vaultlink = (args: string[], input?: string) => install.exec('vaultlink', args, { env, ...(input === undefined ? {} : { input }) });

  beforeAll(async () => {
    install = await installPacked(['vaultlink', '@vault/runner'], { manager });
    server = await startRecordingServer('127.0.0.1');
    home = await mkdtemp(join(tmpdir(), `vaultlink-${manager}-home-`));
    env = {
      PATH: process.env['PATH'],
      HOME: home,
      VAULTLINK_HOME: join(home, 'vault'),
      VAULTLINK_PASSPHRASE: `${manager} install passphrase`,
      VAULTLINK_KEYCHAIN: 'off',
      CI: 'true',
    };
    expect((await vaultlink(['init'])).code).toBe(0);
    expect((await vaultlink(['set', 'k', '--stdin'], VALUE)).code).toBe(0);
    const file = join(home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          {
            name: 'header, body and script',
            request: {
              method: 'POST',
              url: `${server.origin}/call`,
              header: [{ key: 'X-Key', value: '{{vault:k}}' }],
              body: { mode: 'raw', raw: 'token={{vault:k}}' },
            },
            prerequest: ['const got = await pm.vault.get("k");', 'console.log("script read", got);'],
          },
        ]),
      ),
    );
    result = await vaultlink(['run', file, '--allow-script-vault', '-r', 'cli']);
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await install?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('has the setting the bug needs: newman there has its own postman-runtime 7.39.1, where this manager puts it', async () => {
    const probe = await install.node(
      'const { dirname } = require("path"); const runner = require.resolve("@vault/runner"); ' +
        'const newman = dirname(require.resolve("newman/package.json", { paths: [runner] })); ' +
        'const runtime = require.resolve("postman-runtime/package.json", { paths: [newman] }); ' +
        'console.log(JSON.stringify({ at: require("fs").realpathSync(dirname(runtime)), version: require(runtime).version }));',
    );
    const found = JSON.parse(probe.stdout) as { at: string; version: string };
    expect(found.version).toBe('7.39.1');
    expect(found.at).toMatch(NEWMAN_RUNTIME_AT[manager]);
  });

  it("resolves {{vault:k}} in the header, the body and pm.vault.get on the runner's postman-runtime 7.56.1, sending no literal reference", () => {
    expect(result.code, result.stderr).toBe(0);
    const request = server.requests.find((entry) => entry.url === '/call');
    expect(request?.headers['x-key']).toBe(VALUE);
    expect(request?.raw).toContain(`token=${VALUE}`);
    expect(request?.headers['user-agent']).toBe('PostmanRuntime/7.56.1');
    expect(server.requests.some((entry) => entry.raw.includes('{{vault:'))).toBe(false);
  });

  it('masks the value in the output', () => {
    expect(result.stdout).toContain("'script read', '********'");
    expect(result.stdout + result.stderr).not.toContain(VALUE);
  });
});
