/**
 * A frozen vault (SIGSTOP: the socket accepts, nothing answers) must cost a bounded time:
 * `get`, `resolve`, `show`, `run`, `setup` and a team `disconnect` give up with PROVIDER_UNAVAILABLE
 * instead of hanging, and exit 5 (`resolve` too, when the unavailable vault is the only cause)
 * (issue 12, item 9: they waited forever before). The test starts its own OpenBao and its own
 * moto server, so freezing them stops no other test's peer. Bounds are made short through
 * VAULTLINK_REQUEST_TIMEOUT_MS / VAULTLINK_TOTAL_TIMEOUT_MS; one `get` runs with the defaults
 * (15 s per request, 45 s in all). "Does not hang" is the test timeout, not a measured time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { motoSeeder } from '../../../../tools/peers/seed/moto.mjs';
import { applyAwsEnv } from '../helpers/aws-env.js';
import { createSandbox, jsonError, uniqueValue, type RunResult, type Sandbox } from '../helpers/sandbox.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// The harness installed OpenBao and moto (a missing install fails here, as in CI).
if (!requirePeer('openbao') || !requirePeer('moto'))
  throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the OpenBao and moto installs');

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const venvBin = join(
  process.env.VAULTLINK_PEERS_HOME ? resolve(process.env.VAULTLINK_PEERS_HOME) : join(repoRoot, '.peers'),
  'venv',
  'bin',
);
const SHORT = { VAULTLINK_REQUEST_TIMEOUT_MS: '1000', VAULTLINK_TOTAL_TIMEOUT_MS: '3000' };

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A server of ours, on loopback, that can be frozen and is always stopped (even while frozen). */
class OwnServer {
  private readonly child: ChildProcess;
  constructor(command: string, args: string[], env: Record<string, string>) {
    this.child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  }

  async ready(url: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${url}: the server exited with ${this.child.exitCode}`);
      try {
        if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).status < 500) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${url} did not become ready within 60 s`);
  }

  freeze(): void {
    this.child.kill('SIGSTOP');
  }

  stop(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGKILL');
  }
}

/** The run's result with its parsed `--json` error. */
function unavailable(result: RunResult): void {
  expect(result.code, result.stderr).toBe(5);
  expect(jsonError(result)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { timedOut: true } });
}

async function collectionFile(dir: string, name: string): Promise<string> {
  const file = join(dir, 'frozen.postman_collection.json');
  const request = {
    method: 'GET',
    url: 'http://127.0.0.1:9/never-sent',
    header: [{ key: 'Authorization', value: `Bearer {{vault:${name}}}` }],
  };
  await writeFile(
    file,
    JSON.stringify({
      info: { name: 'frozen', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{ name: 'r', request }],
    }),
  );
  return file;
}

describe('a frozen OpenBao', () => {
  const token = uniqueValue('root').replace(/[^A-Za-z0-9-]/g, '');
  let bao: OwnServer;
  let sandbox: Sandbox;
  let home: string;
  let addr: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'vaultlink-frozen-bao-'));
    const port = await freePort();
    addr = `http://127.0.0.1:${port}`;
    bao = new OwnServer(join(venvBin, 'bao'), ['server', '-dev', `-dev-root-token-id=${token}`, `-dev-listen-address=127.0.0.1:${port}`], {
      HOME: home,
    });
    await bao.ready(`${addr}/v1/sys/health`);
    const put = await fetch(`${addr}/v1/secret/data/frozen/app`, {
      method: 'POST',
      headers: { 'X-Vault-Token': token },
      body: JSON.stringify({ data: { k: uniqueValue('frozen-value') } }),
    });
    expect(put.ok).toBe(true);
    sandbox = await createSandbox();
    for (const key of Object.keys(sandbox.env)) if (key.startsWith('VAULT_') || key.startsWith('BAO_')) delete sandbox.env[key];
    // HashiCorp is admin-managed: an admin sets the team up once, then a member connects with a token.
    const setup = await sandbox.run(['setup', 'hashicorp', '--bootstrap', '--vault-addr', addr, '--admin-token-stdin'], { input: token });
    expect(setup.code, setup.stderr).toBe(0);
    const connected = await sandbox.run(['connect', 'hashicorp', '--method', 'token', '--vault-addr', addr, '--token-stdin'], {
      input: token,
    });
    expect(connected.code, connected.stderr).toBe(0);
    expect(
      (
        await sandbox.run([
          'link',
          'app',
          '--provider',
          'hashicorp',
          '--engine',
          'secret',
          '--path',
          'frozen/app',
          '--key',
          'k',
          '--kv-version',
          '2',
        ])
      ).code,
    ).toBe(0);
    expect((await sandbox.run(['get', 'app'])).code).toBe(0);
    bao.freeze();
  }, 120_000);

  afterAll(async () => {
    bao?.stop();
    await sandbox?.cleanup();
    await rm(home, { recursive: true, force: true });
  });

  it('get fails with PROVIDER_UNAVAILABLE (exit 5) within the configured bound', async () => {
    unavailable(await sandbox.run(['--json', 'get', 'app'], { env: SHORT }));
  }, 60_000);

  it('get gives up within the default bounds too (15 s per request, 45 s with retries)', async () => {
    const result = await sandbox.run(['--json', 'get', 'app']);
    unavailable(result);
    // The per-request timeout (15 s) ends the only attempt first; the 45 s total bound covers retries.
    expect(jsonError(result).message).toContain('did not answer in time');
  }, 120_000);

  it('resolve exits 5 and writes nothing when every unresolved reference failed because the vault is unavailable', async () => {
    const result = await sandbox.run(['--json', 'resolve', '-'], { input: 'token={{vault:app}}\n', env: SHORT });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stdout).toBe('');
    // Still UNRESOLVED, each name with its reason; the exit code says "try again later".
    expect(jsonError(result)).toMatchObject({
      code: 'UNRESOLVED',
      details: { unresolved: [{ name: 'app', reason: 'unavailable', code: 'PROVIDER_UNAVAILABLE' }] },
    });
  }, 60_000);

  it('resolve keeps exit 4 when another cause is among the unresolved references', async () => {
    const result = await sandbox.run(['--json', 'resolve', '-'], {
      input: 'token={{vault:app}} other={{vault:no_such_name}}\n',
      env: SHORT,
    });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout).toBe('');
    const unresolved = (jsonError(result).details as { unresolved: Array<{ name: string; code: string }> }).unresolved;
    expect(unresolved.map(({ name, code }) => [name, code]).sort()).toEqual([
      ['app', 'PROVIDER_UNAVAILABLE'],
      ['no_such_name', 'UNRESOLVED'],
    ]);
  }, 60_000);

  it('show reports the upstream as unavailable (exit 5) and still shows the local facts', async () => {
    const result = await sandbox.run(['--json', 'show', 'app'], { env: SHORT });
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: 'app',
      provider: 'hashicorp',
      upstreamError: { code: 'PROVIDER_UNAVAILABLE' },
    });
  }, 60_000);

  it('run stops before sending, naming the unavailable vault (newman exit codes: 1)', async () => {
    const file = await collectionFile(sandbox.root, 'app');
    const result = await sandbox.run(['run', file, '--fail-on-unresolved'], { env: SHORT });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unavailable');
    expect(result.stderr).toMatch(/did not answer (within 3 s|in time)/);
  }, 60_000);

  it('setup gives up with PROVIDER_UNAVAILABLE (exit 5) and writes no team config', async () => {
    const teamConfig = join(sandbox.root, 'frozen-setup', 'team.json');
    const result = await sandbox.run(['--json', 'setup', 'hashicorp', '--bootstrap', '--vault-addr', addr, '--admin-token-stdin'], {
      input: token,
      env: { ...SHORT, VAULTLINK_TEAM_CONFIG: teamConfig },
    });
    unavailable(result);
    expect(existsSync(teamConfig)).toBe(false);
  }, 60_000);

  it('a team-level disconnect (teardown) gives up with PROVIDER_UNAVAILABLE (exit 5) and keeps the integration', async () => {
    const result = await sandbox.run(['--json', 'disconnect', 'hashicorp', '--admin-token-stdin'], { input: token, env: SHORT });
    unavailable(result);
    const integrations = JSON.parse((await sandbox.run(['--json', 'integrations'])).stdout) as Array<{ provider: string }>;
    expect(integrations.map((i) => i.provider)).toEqual(['hashicorp']);
  }, 60_000);
});

describe('a frozen moto (AWS)', () => {
  let moto: OwnServer;
  let sandbox: Sandbox;
  let endpoint: string;

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = new OwnServer(join(venvBin, 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {});
    await moto.ready(`${endpoint}/moto-api/`);
    const seeder = motoSeeder({ endpoint, region: 'us-east-1' });
    const { arn } = await seeder.createSecret(uniqueValue('frozen').replace(/[^A-Za-z0-9-]/g, ''), uniqueValue('frozen-aws-value'));
    seeder.destroy();
    sandbox = await createSandbox();
    applyAwsEnv(sandbox.env, endpoint);
    const connect = await sandbox.run(
      ['connect', 'aws', '--access-key-id', 'AKIAFROZEN0000000001', '--secret-access-key-stdin', '--region', 'us-east-1'],
      { input: 'frozen-secret' },
    );
    expect(connect.code, connect.stderr).toBe(0);
    expect((await sandbox.run(['link', 'db', '--provider', 'aws', '--arn', arn])).code).toBe(0);
    expect((await sandbox.run(['get', 'db'])).code).toBe(0);
    moto.freeze();
  }, 120_000);

  afterAll(async () => {
    moto?.stop();
    await sandbox?.cleanup();
  });

  it('get fails with PROVIDER_UNAVAILABLE (exit 5) within the configured bound', async () => {
    unavailable(await sandbox.run(['--json', 'get', 'db'], { env: SHORT }));
  }, 60_000);

  it('show reports the upstream as unavailable (exit 5)', async () => {
    const result = await sandbox.run(['--json', 'show', 'db'], { env: SHORT });
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stdout)).toMatchObject({ upstreamError: { code: 'PROVIDER_UNAVAILABLE' } });
  }, 60_000);
});
