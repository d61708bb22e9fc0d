// Smoke test: the AWS SDK v3 against moto with SigV4 and IAM policies enforced.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../require-peer.mjs';
import { allow, motoSeeder, type AwsCredentials } from '../../seed/moto.mjs';

const peer = requirePeer('moto-auth');
const open = requirePeer('moto');
const run = `t${Date.now().toString(36)}`;

describe.skipIf(!peer)('moto peer with auth enforced', () => {
  // vitest runs a skipped describe's body too: build nothing from `peer` until a test runs.
  let admin: ReturnType<typeof motoSeeder>;
  beforeAll(() => {
    admin = motoSeeder(peer!);
  });
  const clients: { destroy(): void }[] = [];
  const secretsAs = (credentials: AwsCredentials) => {
    const c = new SecretsManagerClient(admin.clientConfig(credentials));
    clients.push(c);
    return c;
  };
  afterAll(() => {
    clients.forEach((c) => c.destroy());
    admin?.destroy();
  });

  it('reads a secret with good keys and refuses wrong keys with an auth error', async () => {
    const { arn } = await admin.createSecret(`${run}/db`, '{"password":"first"}');
    expect(arn).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${run}/db-[A-Za-z0-9]{6}$`));
    // moto checks Secrets Manager actions against resource '*' (see the last test), so grant on '*'.
    const reader = await admin.createUserWithPolicy(`${run}-reader`, [allow('secretsmanager:GetSecretValue')]);

    const good = await secretsAs(reader).send(new GetSecretValueCommand({ SecretId: arn }));
    expect(good.SecretString).toBe('{"password":"first"}');

    const unknownKey = secretsAs({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'nope' }).send(
      new GetSecretValueCommand({ SecretId: arn }),
    );
    await expect(unknownKey).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });

    const badSignature = secretsAs({ accessKeyId: reader.accessKeyId, secretAccessKey: 'wrong-secret' }).send(
      new GetSecretValueCommand({ SecretId: arn }),
    );
    await expect(badSignature).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
  });

  it('denies a valid user whose policy does not grant GetSecretValue', async () => {
    const { arn } = await admin.createSecret(`${run}/private`, 'private-value');
    const nobody = await admin.createUserWithPolicy(`${run}-nobody`, [allow('secretsmanager:ListSecrets')]);
    await expect(secretsAs(nobody).send(new GetSecretValueCommand({ SecretId: arn }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('assumes a role whose trust policy allows the caller, and reads with the session', async () => {
    const { arn: secretArn } = await admin.createSecret(`${run}/role-only`, 'role-value');
    const caller = await admin.createUserWithPolicy(`${run}-caller`, [allow('sts:AssumeRole')]);
    const role = await admin.createRoleWithPolicy(`${run}-role`, [caller.arn], [allow('secretsmanager:GetSecretValue')]);

    const sts = new STSClient(admin.clientConfig(caller));
    clients.push(sts);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'smoke' }));
    const session = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    const res = await secretsAs(session).send(new GetSecretValueCommand({ SecretId: secretArn }));
    expect(res.SecretString).toBe('role-value');
    // The caller itself has no secretsmanager permission.
    await expect(secretsAs(caller).send(new GetSecretValueCommand({ SecretId: secretArn }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });

    const stranger = await admin.createUserWithPolicy(`${run}-stranger`, [allow('sts:AssumeRole')]);
    const strangerSts = new STSClient(admin.clientConfig(stranger));
    clients.push(strangerSts);
    await expect(strangerSts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'x' }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('keeps versions and staging labels', async () => {
    const first = await admin.createSecret(`${run}/rotating`, 'v1');
    const second = await admin.putSecretValue(first.arn, 'v2');
    const pending = await admin.putSecretValue(first.arn, 'v3', { stages: ['AWSPENDING'] });
    const sm = secretsAs({ accessKeyId: peer!.adminAccessKeyId, secretAccessKey: peer!.adminSecretAccessKey });
    const read = (input: { VersionId?: string; VersionStage?: string }) =>
      sm.send(new GetSecretValueCommand({ SecretId: `${run}/rotating`, ...input })).then((r) => r.SecretString);
    expect(await read({})).toBe('v2');
    expect(await read({ VersionStage: 'AWSPREVIOUS' })).toBe('v1');
    expect(await read({ VersionStage: 'AWSPENDING' })).toBe('v3');
    expect(await read({ VersionId: first.versionId })).toBe('v1');
    expect(second.stages).toContain('AWSCURRENT');
    expect(pending.versionId).not.toBe(second.versionId);
  });

  it('documents a moto limit: Secrets Manager statements scoped to a secret ARN never match', async () => {
    // moto evaluates secretsmanager:* actions against resource '*', so a statement whose Resource is
    // the secret's ARN does not apply and the request is denied (real AWS would allow it).
    const { arn } = await admin.createSecret(`${run}/scoped`, 'scoped-value');
    const scoped = await admin.createUserWithPolicy(`${run}-scoped`, [allow('secretsmanager:GetSecretValue', arn)]);
    await expect(secretsAs(scoped).send(new GetSecretValueCommand({ SecretId: arn }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('stores binary secrets', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    const { arn } = await admin.createSecret(`${run}/binary`, bytes);
    const res = await secretsAs({ accessKeyId: peer!.adminAccessKeyId, secretAccessKey: peer!.adminSecretAccessKey }).send(
      new GetSecretValueCommand({ SecretId: arn }),
    );
    expect(res.SecretString).toBeUndefined();
    expect(Array.from(res.SecretBinary!)).toEqual(Array.from(bytes));
  });

  it('serves SSM Parameter Store: versions, several names and name:N in one GetParameters, missing names listed, IAM enforced', async () => {
    const first = await admin.putParameter(`/${run}/api-key`, 'ssm-v1');
    const second = await admin.putParameter(`/${run}/api-key`, 'ssm-v2');
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.arn).toMatch(new RegExp(`^arn:aws:ssm:us-east-1:\\d{12}:parameter/${run}/api-key$`));
    const ssmAs = (credentials: AwsCredentials) => {
      const c = new SSMClient(admin.clientConfig(credentials));
      clients.push(c);
      return c;
    };
    const reader = await admin.createUserWithPolicy(`${run}-ssm-reader`, [allow('ssm:GetParameters')]);
    const names = [`/${run}/api-key`, `/${run}/api-key:1`, `/${run}/missing`];
    const answer = await ssmAs(reader).send(new GetParametersCommand({ Names: names, WithDecryption: true }));
    // moto answers name:N with the plain name and leaves out `Selector` (AWS sends Selector ":1").
    expect(answer.Parameters!.map((p) => [p.Name, p.Version, p.Value, p.Selector]).sort()).toEqual([
      [`/${run}/api-key`, 1, 'ssm-v1', undefined],
      [`/${run}/api-key`, 2, 'ssm-v2', undefined],
    ]);
    expect(answer.InvalidParameters).toEqual([`/${run}/missing`]);
    const nobody = await admin.createUserWithPolicy(`${run}-ssm-nobody`, [allow('ssm:DescribeParameters')]);
    await expect(ssmAs(nobody).send(new GetParametersCommand({ Names: names }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe.skipIf(!open)('moto peer without auth', () => {
  it('accepts any keys', async () => {
    const aws = motoSeeder(open!);
    const { arn } = await aws.createSecret(`${run}/open`, 'open-value');
    const sm = new SecretsManagerClient(aws.clientConfig({ accessKeyId: 'anything', secretAccessKey: 'anything' }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('open-value');
    const sts = new STSClient(aws.clientConfig());
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toMatch(/^\d{12}$/);
    sm.destroy();
    sts.destroy();
    aws.destroy();
  });
});
