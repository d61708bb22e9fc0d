/**
 * Issue 11 item 1 for pnpm consumers: the packed tarballs installed with `pnpm add` into a folder
 * outside the workspace (`--ignore-workspace`, its own package.json). pnpm's isolated layout gives
 * newman its own postman-runtime 7.39.1 under node_modules/.pnpm, as npm's nesting does; the
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

const VALUE = `pnpm-installed-secret-${Date.now().toString(36)}`;

describe('installed with pnpm from packed tarballs', () => {
  let install: PackedInstall;
  let server: RecordingServer;
  let home: string;
  let env: Record<string, string | undefined>;
  let result: RunResult;

  const vaultlink = (args: string[], input?: string) => install.exec('vaultlink', args, { env, ...(input === undefined ? {} : { input }) });

  beforeAll(async () => {
    install = await installPacked(['vaultlink', '@vault/runner'], { manager: 'pnpm' });
    server = await startRecordingServer('127.0.0.1');
    home = await mkdtemp(join(tmpdir(), 'vaultlink-pnpm-home-'));
    env = { PATH: process.env['PATH'], HOME: home, VAULTLINK_HOME: join(home, 'vault'), VAULTLINK_PASSPHRASE: 'pnpm install passphrase', VAULTLINK_KEYCHAIN: 'off', CI: 'true' };
    expect((await vaultlink(['init'])).code).toBe(0);
    expect((await vaultlink(['set', 'k', '--stdin'], VALUE)).code).toBe(0);
    const file = join(home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          {
            name: 'header, body and script',
            request: { method: 'POST', url: `${server.origin}/call`, header: [{ key: 'X-Key', value: '{{vault:k}}' }], body: { mode: 'raw', raw: 'token={{vault:k}}' } },
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

  it('is pnpm\'s isolated layout, and the setting the bug needs: newman there has its own postman-runtime 7.39.1', async () => {
    const probe = await install.node(
      'const { dirname } = require("path"); const runner = require.resolve("@vault/runner"); ' +
        'const newman = dirname(require.resolve("newman/package.json", { paths: [runner] })); ' +
        'console.log(newman.includes("/node_modules/.pnpm/") + " " + require(require.resolve("postman-runtime/package.json", { paths: [newman] })).version);',
    );
    expect(probe.stdout.trim(), probe.stderr).toBe('true 7.39.1');
  });

  it('resolves {{vault:k}} in the header, the body and pm.vault.get on the runner\'s postman-runtime 7.56.1, sending no literal reference', () => {
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
