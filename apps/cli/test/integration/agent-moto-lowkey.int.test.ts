/**
 * The agent's cross-process cache on moto (AWS Secrets Manager) and Lowkey Vault (Azure Key
 * Vault). Upstream reads are seen from outside the agent: on moto through a counting proxy in
 * front of the peer; on both by changing the value upstream, so a command that answers with the
 * old value provably made no upstream read, and one with the new value did.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { lowkeySeeder } from '../../../../tools/peers/seed/lowkey.mjs';
import { motoSeeder } from '../../../../tools/peers/seed/moto.mjs';
import { applyAwsEnv } from '../helpers/aws-env.js';
import { expectNoLeaks, ok } from '../helpers/leaks.js';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from '../helpers/sandbox.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const on = { VAULTLINK_AGENT: 'on' };
const off = { VAULTLINK_AGENT: 'off' };

async function agentReads(s: Sandbox): Promise<number> {
  return (JSON.parse(ok(await s.run(['agent', 'status', '--json'], { env: on })).stdout) as { upstreamReads: number }).upstreamReads;
}

/**
 * The scenario both peers run: A reads, B and C are served from the agent (still the old value
 * after it changed upstream), D's cache reset brings the new one; with expiry 0 every get
 * reads; disconnect leaves every client unresolved. `upstream()` counts reads seen outside.
 */
async function crossProcess(
  s: Sandbox,
  provider: string,
  change: (value: string) => Promise<void>,
  values: string[],
  upstream?: () => number,
): Promise<void> {
  const [v1, v2, v3] = values as [string, string, string];
  const seen = upstream ?? (() => 0);
  const before = { agent: await agentReads(s), upstream: seen() };
  expect(ok(await s.run(['get', 'db'], { env: on })).stdout).toBe(v1);
  await change(v2);
  expect(ok(await s.run(['get', 'db'], { env: on })).stdout).toBe(v1);
  expect(ok(await s.run(['resolve'], { input: 'p={{vault:db}}', env: on })).stdout).toBe(`p=${v1}`);
  expect((await agentReads(s)) - before.agent).toBe(1);
  if (upstream) expect(seen() - before.upstream).toBe(1);
  ok(await s.run(['cache', 'reset'], { env: on }));
  expect(ok(await s.run(['get', 'db'], { env: on })).stdout).toBe(v2);
  expect((await agentReads(s)) - before.agent).toBe(2);
  if (upstream) expect(seen() - before.upstream).toBe(2);

  ok(await s.run(['config', 'set', 'expiry', '0'], { env: on }));
  expect(ok(await s.run(['get', 'db'], { env: on })).stdout).toBe(v2);
  await change(v3);
  expect(ok(await s.run(['get', 'db'], { env: on })).stdout).toBe(v3);
  expect((await agentReads(s)) - before.agent).toBe(4);
  if (upstream) expect(seen() - before.upstream).toBe(4);
  ok(await s.run(['config', 'set', 'expiry', '60'], { env: on }));

  ok(await s.run(['disconnect', provider], { env: on }));
  for (const env of [on, off]) {
    const result = await s.run(['--json', 'resolve'], { input: '{{vault:db}}', env });
    expect(result.code).toBe(4);
    expect(jsonError(result).details).toMatchObject({ unresolved: [expect.objectContaining({ name: 'db', reason: 'disconnected' })] });
  }
}

const moto = requirePeer('moto');
describe.skipIf(!moto)('the agent with AWS Secrets Manager on moto', () => {
  const seeder = motoSeeder(moto!);
  const values = [uniqueValue('moto-v1'), uniqueValue('moto-v2'), uniqueValue('moto-v3')];
  let s: Sandbox;
  let proxy: Server;
  let secretReads = 0;

  beforeAll(async () => {
    // Counts the Secrets Manager reads that reach moto, and forwards everything.
    const target = new URL(moto!.endpoint);
    proxy = createServer((incoming, outgoing) => {
      if (/secretsmanager\.(Batch)?GetSecretValue/.test(String(incoming.headers['x-amz-target'] ?? ''))) secretReads++;
      const forward = request(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    s = await createSandbox();
    applyAwsEnv(s.env, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await s?.run(['agent', 'stop']);
    await s?.cleanup();
    seeder.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('A reads once, B and C are served by the agent, reset and expiry 0 read again, disconnect unresolves everywhere', async () => {
    const { arn } = await seeder.createSecret(uniqueValue('agent-db').replace(/[^A-Za-z0-9-]/g, ''), values[0]!);
    ok(await s.run(['agent', 'start'], { env: on }));
    ok(
      await s.run(['connect', 'aws', '--access-key-id', 'AKIAVAULTLINKAGENT01', '--secret-access-key-stdin', '--region', moto!.region], {
        input: 'testing',
        env: on,
      }),
    );
    ok(await s.run(['link', 'db', '--provider', 'aws', '--arn', arn], { env: on }));
    await crossProcess(
      s,
      'aws',
      async (value) => void (await seeder.putSecretValue(arn, value)),
      values,
      () => secretReads,
    );
    await expectNoLeaks(s, values);
  });
});

const lowkey = requirePeer('lowkey');
describe.skipIf(!lowkey)('the agent with Azure Key Vault on Lowkey Vault', () => {
  const values = [uniqueValue('lowkey-v1'), uniqueValue('lowkey-v2'), uniqueValue('lowkey-v3')];
  const name = uniqueValue('agent-db').replace(/[^A-Za-z0-9-]/g, '');
  let s: Sandbox;

  beforeAll(async () => {
    s = await createSandbox();
    for (const key of Object.keys(s.env))
      if (key.startsWith('AZURE_') || key.startsWith('IDENTITY_') || key.startsWith('MSI_')) delete s.env[key];
    s.env.IDENTITY_ENDPOINT = `${lowkey!.tokenUrl}/metadata/identity/oauth2/token`;
    s.env.IDENTITY_HEADER = 'vaultlink-agent-test';
  });
  afterAll(async () => {
    await s?.run(['agent', 'stop']);
    await s?.cleanup();
  });

  it('A reads once, B and C are served by the agent, reset and expiry 0 read again, disconnect unresolves everywhere', async () => {
    const kv = lowkeySeeder(lowkey!);
    await kv.setSecret(name, values[0]!);
    ok(await s.run(['agent', 'start'], { env: on }));
    ok(await s.run(['connect', 'azure', '--method', 'managed-identity'], { env: on }));
    ok(await s.run(['link', 'db', '--provider', 'azure', '--id', `${lowkey!.url}/secrets/${name}`], { env: on }));
    await crossProcess(s, 'azure', async (value) => void (await kv.setSecret(name, value)), values);
    await expectNoLeaks(s, values);
  });
});
