/**
 * Issue 11 item 1, tested the way it was found: every package packed, the tarballs installed with
 * npm into a folder outside the workspace (no pnpm overrides reach it: newman there has its own
 * postman-runtime 7.39.1), then `vaultlink` run against a local server. The runner must drive
 * its own postman-runtime 7.56.1: the header is resolved, `pm.vault.get` works with
 * --allow-script-vault, output is masked, and no literal reference is sent. Also `vaultlink get`,
 * loading a provider by name from that install, and both fail-closed paths.
 */
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, type PackedInstall, type RunResult } from '../../../../tools/packed/packed-install.mjs';
import { collection } from '../helpers/collections.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const VALUE = `npm-installed-secret-${Date.now().toString(36)}`;
const RESTRICTED = `restricted-elsewhere-${Date.now().toString(36)}`;

describe('installed with npm from packed tarballs', () => {
  let install: PackedInstall;
  let server: RecordingServer;
  let home: string;
  let env: Record<string, string | undefined>;
  let file: string;
  let result: RunResult;
  let report: string;

  const vaultlink = (args: string[], input?: string, extraEnv: Record<string, string> = {}) =>
    install.exec('vaultlink', args, { env: { ...env, ...extraEnv }, ...(input === undefined ? {} : { input }) });

  beforeAll(async () => {
    install = await installPacked(['vaultlink', '@vault/runner', '@vault/provider-hashicorp']);
    server = await startRecordingServer('127.0.0.1');
    home = await mkdtemp(join(tmpdir(), 'vaultlink-npm-home-'));
    env = {
      PATH: process.env['PATH'],
      HOME: home,
      VAULTLINK_HOME: join(home, 'vault'),
      VAULTLINK_PASSPHRASE: 'npm install passphrase',
      VAULTLINK_KEYCHAIN: 'off',
      CI: 'true',
    };
    expect((await vaultlink(['init'])).code).toBe(0);
    expect((await vaultlink(['set', 'k', '--stdin'], VALUE)).code).toBe(0);
    expect((await vaultlink(['set', 'elsewhere', '--stdin', '--domain', 'api.example.com'], RESTRICTED)).code).toBe(0);
    file = join(home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          {
            name: 'header and script',
            request: {
              url: `${server.origin}/call`,
              header: [
                { key: 'X-Key', value: '{{vault:k}}' },
                { key: 'X-Got', value: '{{got}}' },
              ],
            },
            prerequest: ['const got = await pm.vault.get("k");', 'pm.variables.set("got", got);', 'console.log("script read", got);'],
          },
        ]),
      ),
    );
    result = await vaultlink(['run', file, '--allow-script-vault', '-r', 'cli,json', '--reporter-json-export', join(home, 'report.json')]);
    report = await readFile(join(home, 'report.json'), 'utf8');
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await install?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('is the setting the bug needs: newman there has its own postman-runtime 7.39.1', async () => {
    const probe = await install.node(
      'const { dirname, join } = require("path"); const newman = dirname(require.resolve("newman/package.json")); ' +
        'const runtime = require.resolve("postman-runtime/package.json", { paths: [newman] }); console.log(require(runtime).version);',
    );
    expect(probe.stdout.trim()).toBe('7.39.1');
  });

  it("resolves the header and pm.vault.get on the runner's postman-runtime 7.56.1, sending no literal reference", () => {
    expect(result.code, result.stderr).toBe(0);
    const request = server.requests.find((entry) => entry.url === '/call');
    expect(request?.headers['x-key']).toBe(VALUE);
    expect(request?.headers['x-got']).toBe(VALUE);
    expect(request?.headers['user-agent']).toBe('PostmanRuntime/7.56.1');
    expect(server.requests.some((entry) => entry.raw.includes('{{vault:'))).toBe(false);
  });

  it('masks the value in stdout, stderr and the report', () => {
    expect(result.stdout).toContain("'script read', '********'");
    for (const text of [result.stdout, result.stderr, report]) expect(text).not.toContain(VALUE);
  });

  it('fails the run under CI when a request would leave with a literal reference, and sends nothing more', async () => {
    const guarded = join(home, 'guarded.json');
    await writeFile(
      guarded,
      JSON.stringify(
        collection([
          { name: 'elsewhere', request: { url: `${server.origin}/guarded`, header: [{ key: 'X-E', value: '{{vault:elsewhere}}' }] } },
        ]),
      ),
    );
    const refused = await vaultlink(['run', guarded]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error \[UNRESOLVED\].*\n.*\{\{vault:elsewhere\}\} in the header X-E/);
    expect(refused.stderr).toMatch(/^Fix: /m);
    expect(server.requests.some((entry) => entry.url === '/guarded')).toBe(false);
    expect(refused.stdout + refused.stderr).not.toContain(RESTRICTED);
  });

  it('refuses to start (UNSUPPORTED_ENGINE) in a program that loaded newman first, before anything is sent', async () => {
    const before = server.requests.length;
    const probe = await install.node(
      'require("newman"); const { run } = require("@vault/runner"); ' +
        `run({ collection: ${JSON.stringify(file)}, allowScriptVault: true }).then(() => console.log("ran"), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`,
      { env },
    );
    const outcome = JSON.parse(probe.stdout.trim()) as { code: string; message: string };
    expect(outcome.code).toBe('UNSUPPORTED_ENGINE');
    expect(outcome.message).toMatch(/newman was loaded in this process before vaultlink, with its own postman-runtime 7\.39\.1/);
    expect(server.requests.length).toBe(before);
  });

  it('vaultlink get prints the value', async () => {
    const got = await vaultlink(['get', 'k']);
    expect(got.code).toBe(0);
    expect(got.stdout.trim()).toBe(VALUE);
  });

  it('loads a provider by name from the install (hashicorp), and names the package of one that is missing (aws)', async () => {
    const linked = await vaultlink([
      'link',
      'hc',
      '--provider',
      'hashicorp',
      '--engine',
      'secret',
      '--path',
      'app/db',
      '--key',
      'password',
    ]);
    expect(linked.code, linked.stderr).toBe(0);
    const listed = JSON.parse((await vaultlink(['list', '--json'])).stdout) as Array<{ name: string; provider?: string }>;
    expect(listed.find((entry) => entry.name === 'hc')?.provider).toBe('hashicorp');
    const missing = await vaultlink([
      'link',
      'aw',
      '--provider',
      'aws',
      '--arn',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('PROVIDER_NOT_INSTALLED');
    expect(missing.stderr).toContain('npm i @vault/provider-aws');
  });
});
