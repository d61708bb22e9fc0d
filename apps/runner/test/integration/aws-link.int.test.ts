/**
 * A secret linked through a real peer provider: AWS Secrets Manager on moto, connected with
 * `--from-env` credentials as the README's CI example does. The value reaches the allowed
 * host, never the other one, and no output of the run holds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsProvider } from '@vault/provider-aws';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { motoSeeder, OPEN_MOTO_CREDENTIALS } from '../../../../tools/peers/seed/moto.mjs';
import { run } from '../../src/index.js';
import { captureMessages, collection } from '../helpers/collections.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { createTestVault, quietIo, type TestVault } from '../helpers/test-vault.js';

const peer = requirePeer('moto');
const DB_PASSWORD = `moto-db-password-${Date.now().toString(36)}`;
const AWS_VARIABLES = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
] as const;

describe.skipIf(!peer)('a secret linked to AWS Secrets Manager (moto)', () => {
  const saved = new Map<string, string | undefined>();
  let good: RecordingServer;
  let evil: RecordingServer;
  let testVault: TestVault;

  beforeAll(async () => {
    // The AWS SDK reads these itself, exactly as in CI with `vaultlink connect aws --from-env`.
    for (const name of AWS_VARIABLES) saved.set(name, process.env[name]);
    process.env['AWS_ENDPOINT_URL'] = peer!.endpoint;
    process.env['AWS_ACCESS_KEY_ID'] = OPEN_MOTO_CREDENTIALS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = OPEN_MOTO_CREDENTIALS.secretAccessKey;
    process.env['AWS_REGION'] = peer!.region;
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

    const seeder = motoSeeder(peer!);
    const { arn } = await seeder.createSecret(
      `runner/db-${Date.now().toString(36)}`,
      JSON.stringify({ password: DB_PASSWORD, user: 'app' }),
    );
    seeder.destroy();

    good = await startRecordingServer('127.0.0.1');
    evil = await startRecordingServer('127.0.0.2');
    testVault = await createTestVault({}, [createAwsProvider()]);
    await testVault.vault.connect('aws', { fromEnv: true, region: peer!.region }, { ...quietIo, env: process.env });
    await testVault.vault.link('db-password', 'aws', { arn, jsonKey: 'password' }, { allowedDomains: ['http://127.0.0.1'] });
  });

  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await good?.close();
    await evil?.close();
    await testVault?.cleanup();
  });

  it('resolves the linked value into the allowed request only, and masks it in the summary', async () => {
    const captured = captureMessages();
    const summary = await run({
      collection: collection([
        { name: 'allowed', request: { url: `${good.origin}/db`, header: [{ key: 'X-Db-Password', value: '{{vault:db-password}}' }] } },
        { name: 'other host', request: { url: `${evil.origin}/db`, header: [{ key: 'X-Db-Password', value: '{{vault:db-password}}' }] } },
      ]),
      failOnUnresolved: false,
      vault: testVault.vault,
      env: testVault.env,
      messages: captured.messages,
    });
    expect(summary.vaultlink).toMatchObject({ exitCode: 0, resolved: ['db-password'], unresolved: [] });
    expect(good.requests[0]?.headers['x-db-password']).toBe(DB_PASSWORD);
    expect(evil.requests[0]?.headers['x-db-password']).toBe('{{vault:db-password}}');
    expect(captured.warnings.join('\n')).toMatch(
      /\{\{vault:db-password\}\} was sent literally to 127\.0\.0\.2:\d+ \(header X-Db-Password\): it is not allowed for this host/,
    );
    expect(evil.received(DB_PASSWORD)).toBe(false);
    expect(JSON.stringify(summary)).not.toContain(DB_PASSWORD);
  });

  it('with --fail-on-unresolved, the request to the other host is not sent and the run fails with UNRESOLVED', async () => {
    const before = evil.requests.length;
    const error = await run({
      collection: collection([
        { name: 'other host', request: { url: `${evil.origin}/db2`, header: [{ key: 'X-Db-Password', value: '{{vault:db-password}}' }] } },
      ]),
      failOnUnresolved: true,
      vault: testVault.vault,
      env: testVault.env,
      messages: captureMessages().messages,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UNRESOLVED' });
    expect(evil.requests.length).toBe(before);
  });
});
