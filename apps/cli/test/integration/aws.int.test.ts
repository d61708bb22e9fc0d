/**
 * The built CLI (`node dist/bin.cjs`) with AWS Secrets Manager, against moto from the peers
 * harness: connect (keys on stdin, shared files, wrong keys, MFA), link, get, show, resolve,
 * with real IAM checks on the auth-enforced moto. Every stderr, every non-value stdout and
 * every file in VAULTLINK_HOME is searched for the secret values and the secret access keys.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { allow, motoSeeder } from '../../../../tools/peers/seed/moto.mjs';
import { applyAwsEnv } from '../helpers/aws-env.js';
import { expectNoLeaks, ok } from '../helpers/leaks.js';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from '../helpers/sandbox.js';

// The seeder's own SDK clients would print the Node 20 support warning into the test log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const authPeer = requirePeer('moto-auth');
const openPeer = requirePeer('moto');

const READ = ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'secretsmanager:DescribeSecret'];

describe.skipIf(!authPeer)('vaultlink CLI with AWS Secrets Manager on moto (auth enforced)', () => {
  const seeder = motoSeeder(authPeer!);
  const run = uniqueValue('cli').replace(/[^A-Za-z0-9-]/g, '');
  const values = { password: uniqueValue('db-password'), token: uniqueValue('api-token') };
  const arns = { db: '', token: '', missing: '' };
  let account = '';
  let reader: { arn: string; accessKeyId: string; secretAccessKey: string };
  let bystander: { arn: string; accessKeyId: string; secretAccessKey: string };
  let role = '';
  let closedRole = '';
  const sandboxes: Sandbox[] = [];

  async function sandbox(extraEnv: Record<string, string> = {}): Promise<Sandbox> {
    const made = await createSandbox();
    applyAwsEnv(made.env, authPeer!.endpoint, extraEnv);
    sandboxes.push(made);
    return made;
  }

  beforeAll(async () => {
    arns.db = (await seeder.createSecret(`${run}/db`, JSON.stringify({ username: 'svc', password: values.password }))).arn;
    arns.token = (await seeder.createSecret(`${run}/token`, values.token)).arn;
    account = arns.db.split(':')[4]!;
    arns.missing = `arn:aws:secretsmanager:${authPeer!.region}:${account}:secret:${run}/gone-AbCdEf`;
    reader = await seeder.createUserWithPolicy(`${run}-reader`, [allow([...READ, 'sts:AssumeRole'])]);
    bystander = await seeder.createUserWithPolicy(`${run}-bystander`, []);
    role = (await seeder.createRoleWithPolicy(`${run}-role`, reader.arn, [allow(READ)])).arn;
    closedRole = (await seeder.createRoleWithPolicy(`${run}-closed`, bystander.arn, [allow(READ)])).arn;
  });
  afterAll(async () => {
    seeder.destroy();
    for (const s of sandboxes) await s.cleanup();
  });

  it('connect, link, get, show and resolve with keys given on stdin', async () => {
    const s = await sandbox();
    const connected = ok(
      await s.run(['connect', 'aws', '--access-key-id', reader.accessKeyId, '--secret-access-key-stdin', '--region', authPeer!.region], {
        input: reader.secretAccessKey,
      }),
    );
    expect(connected.stderr).toContain(account);
    expect(connected.stderr).toContain(reader.arn);

    ok(await s.run(['link', 'db', '--provider', 'aws', '--arn', arns.db, '--json-key', 'password']));
    ok(await s.run(['link', 'token', '--provider', 'aws', '--arn', arns.token]));
    ok(await s.run(['link', 'via-role', '--provider', 'aws', '--arn', arns.token, '--role-arn', role]));

    expect(ok(await s.run(['get', 'db'])).stdout.replace(/\n$/, '')).toBe(values.password);
    expect(ok(await s.run(['get', 'via-role'])).stdout.replace(/\n$/, '')).toBe(values.token);

    const shown = JSON.parse(ok(await s.run(['show', 'db', '--json'])).stdout);
    expect(shown).toMatchObject({
      provider: 'aws',
      identifier: arns.db,
      extra: { account, region: authPeer!.region, jsonKey: 'password' },
    });
    expect(shown.upstream).toMatchObject({
      arn: arns.db,
      account,
      region: authPeer!.region,
      role: null,
      versionId: expect.any(String),
      lastChangedDate: expect.any(String),
    });
    const shownRole = ok(await s.run(['show', 'via-role']));
    expect(shownRole.stdout).toContain(role);
    expect(shownRole.stdout).toContain(arns.token);

    const resolved = ok(await s.run(['resolve'], { input: 'db={{vault:db}}\ntoken={{vault:token}}\nrole={{vault:via-role}}\n' }));
    expect(resolved.stdout).toBe(`db=${values.password}\ntoken=${values.token}\nrole=${values.token}\n`);

    await expectNoLeaks(s, [values.password, values.token, reader.secretAccessKey]);
  });

  it('reports bad links, denied roles and missing secrets with their codes and exit codes', async () => {
    const s = await sandbox();
    ok(
      await s.run(['connect', 'aws', '--access-key-id', reader.accessKeyId, '--secret-access-key-stdin', '--region', authPeer!.region], {
        input: reader.secretAccessKey,
      }),
    );

    const bad = await s.run([
      'link',
      'bad',
      '--provider',
      'aws',
      '--arn',
      `arn:aws:secretsmanager:${authPeer!.region}:123:secret:${run}/db`,
      '--json',
    ]);
    expect(bad.code).toBe(2);
    const badError = jsonError(bad);
    expect(badError.code).toBe('INVALID_LINK');
    expect(badError.issues!.map((i) => i.problem)).toEqual([
      expect.stringContaining('account "123"'),
      expect.stringContaining('6-character suffix'),
    ]);
    expect(badError.issues!.every((i) => i.expected.includes('arn:<partition>:secretsmanager'))).toBe(true);

    ok(await s.run(['link', 'closed', '--provider', 'aws', '--arn', arns.token, '--role-arn', closedRole]));
    const denied = await s.run(['get', 'closed', '--json']);
    expect(denied.code).toBe(3);
    expect(jsonError(denied)).toMatchObject({ code: 'ACCESS_DENIED', message: expect.stringContaining('sts:AssumeRole') });

    ok(await s.run(['link', 'gone', '--provider', 'aws', '--arn', arns.missing]));
    const missing = await s.run(['get', 'gone', '--json']);
    expect(missing.code).toBe(4);
    expect(jsonError(missing).code).toBe('NOT_FOUND');

    ok(await s.run(['link', 'nokey', '--provider', 'aws', '--arn', arns.db, '--json-key', 'token']));
    const noKey = await s.run(['get', 'nokey', '--json']);
    expect(noKey.code).toBe(4);
    expect(jsonError(noKey)).toMatchObject({ code: 'KEY_NOT_FOUND', message: expect.stringContaining('username, password') });

    await expectNoLeaks(s, [values.password, values.token, reader.secretAccessKey]);
  });

  it('rejects a wrong secret access key at connect with an auth error (exit 3), not NOT_FOUND', async () => {
    const s = await sandbox();
    const wrong = `${reader.secretAccessKey.slice(0, -2)}xx`;
    const result = await s.run(
      ['connect', 'aws', '--access-key-id', reader.accessKeyId, '--secret-access-key-stdin', '--region', authPeer!.region, '--json'],
      { input: wrong },
    );
    expect(result.code).toBe(3);
    expect(jsonError(result)).toMatchObject({ code: 'AUTH_FAILED', fix: expect.stringContaining('vaultlink connect aws') });
    expect(ok(await s.run(['integrations', '--json'])).stdout).not.toContain('"aws"');
    await expectNoLeaks(s, [wrong, reader.secretAccessKey]);
  });

  it('connect --from-credentials-file picks profile main over default', async () => {
    const s = await sandbox();
    const credentials = join(s.root, 'aws-credentials');
    await writeFile(
      credentials,
      `[default]\naws_access_key_id = ${bystander.accessKeyId}\naws_secret_access_key = ${bystander.secretAccessKey}\n\n[main]\naws_access_key_id = ${reader.accessKeyId}\naws_secret_access_key = ${reader.secretAccessKey}\nregion = ${authPeer!.region}\n`,
    );
    const connected = ok(await s.run(['connect', 'aws', '--from-credentials-file'], { env: { AWS_SHARED_CREDENTIALS_FILE: credentials } }));
    expect(connected.stderr).toContain(reader.arn);
    ok(await s.run(['link', 'token', '--provider', 'aws', '--arn', arns.token]));
    expect(ok(await s.run(['get', 'token'])).stdout.replace(/\n$/, '')).toBe(values.token);
    await expectNoLeaks(s, [values.token, reader.secretAccessKey, bystander.secretAccessKey]);
  });
});

describe.skipIf(!openPeer)('vaultlink CLI with AWS MFA on moto', () => {
  const seeder = motoSeeder(openPeer!);
  const value = uniqueValue('mfa-value');
  let s: Sandbox | undefined;
  afterAll(async () => {
    seeder.destroy();
    await s?.cleanup();
  });

  it('connect --mfa-serial/--mfa-code stores an expiring STS session that get and resolve use', async () => {
    const { arn } = await seeder.createSecret(uniqueValue('cli-mfa').replace(/[^A-Za-z0-9-]/g, ''), value);
    s = await createSandbox();
    applyAwsEnv(s.env, openPeer!.endpoint);
    const longTermSecret = uniqueValue('long-term-secret');
    ok(
      await s.run(
        [
          'connect',
          'aws',
          '--access-key-id',
          'AKIAVAULTLINKCLIMFA1',
          '--secret-access-key-stdin',
          '--region',
          openPeer!.region,
          '--mfa-serial',
          'arn:aws:iam::123456789012:mfa/alice',
          '--mfa-code',
          '123456',
        ],
        { input: longTermSecret },
      ),
    );
    const [integration] = JSON.parse(ok(await s.run(['integrations', '--json'])).stdout);
    expect(integration.provider).toBe('aws');
    // Temporary STS credentials from GetSessionToken: the session now expires with them.
    expect(integration.expiresAt).not.toBeNull();
    expect(Date.parse(integration.expiresAt)).toBeGreaterThan(Date.now());
    ok(await s.run(['link', 'mfa', '--provider', 'aws', '--arn', arn]));
    expect(ok(await s.run(['resolve'], { input: 'x={{vault:mfa}}' })).stdout).toBe(`x=${value}`);
    // The long-term secret key is used once for GetSessionToken and never stored.
    await expectNoLeaks(s, [value, longTermSecret]);
  });
});
