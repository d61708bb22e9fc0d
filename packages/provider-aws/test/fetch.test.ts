/**
 * fetch against a fake AWS (nock): values exactly as stored, batching and de-duplication
 * counted in requests, per-secret batch errors, JSON keys, binary secrets, roles and regions.
 */
import type { FetchResult } from '@vault/core/provider';
import { readLinks } from '@vault/core/provider';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsProvider } from '../src/index.js';
import {
  ACCOUNT,
  arnOf,
  fakeAws,
  type Reply,
  resetFakes,
  signedRegion,
  signedWith,
  smError,
  stsAssumeRole,
  stsError,
  useFakeEndpoints,
} from './helpers/fake-aws.js';
import { keySession, KEYS, signal } from './helpers/fixtures.js';

beforeAll(useFakeEndpoints);
afterEach(resetFakes);

/** Secrets Manager answering from a map of ARN → SecretString (or Uint8Array for SecretBinary). */
function store(secrets: Record<string, string | Uint8Array>) {
  const entry = (arn: string) => {
    const v = secrets[arn]!;
    return {
      ARN: arn,
      Name: arn.split(':')[6],
      VersionId: `v-${arn.slice(-6)}`,
      VersionStages: ['AWSCURRENT'],
      ...(typeof v === 'string' ? { SecretString: v } : { SecretBinary: Buffer.from(v).toString('base64') }),
    };
  };
  return (op: string, body: Record<string, unknown>): Reply => {
    if (op === 'GetSecretValue') {
      const arn = String(body.SecretId);
      return arn in secrets ? [200, entry(arn)] : smError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    if (op === 'BatchGetSecretValue') {
      const ids = body.SecretIdList as string[];
      return [
        200,
        {
          SecretValues: ids.filter((id) => id in secrets).map(entry),
          Errors: ids
            .filter((id) => !(id in secrets))
            .map((id) => ({
              SecretId: id,
              ErrorCode: 'ResourceNotFoundException',
              Message: "Secrets Manager can't find the specified secret.",
            })),
        },
      ];
    }
    return smError('InvalidRequestException', `unexpected ${op}`);
  };
}

const okValues = (results: FetchResult[]) => results.map((r) => (r.ok ? r.value : `!${r.error.code}`));

describe('values', () => {
  it('returns SecretString exactly as stored, with its version, asking for AWSCURRENT', async () => {
    const arn = arnOf('exact');
    const stored = '  line one\n\tline two — ünïcødé 🔑  \n';
    const aws = fakeAws({ secretsmanager: store({ [arn]: stored }) });
    const p = createAwsProvider();
    const [result] = await readLinks(p, [p.parseLink({ arn })], keySession(), { signal: signal() });
    expect(result).toEqual({ ok: true, value: stored, version: 'v-AbCdEf' });
    expect(aws.calls).toHaveLength(1);
    expect(aws.calls[0]!.body).toEqual({ SecretId: arn, VersionStage: 'AWSCURRENT' });
  });

  it('selects one top-level JSON key; other JSON types come back as JSON text', async () => {
    const arn = arnOf('json');
    const aws = fakeAws({
      secretsmanager: store({
        [arn]: JSON.stringify({ user: 'admin', password: 's3cr3t-pw', port: 5432, nested: { a: [1, 2] }, none: null }),
      }),
    });
    const p = createAwsProvider();
    const links = ['user', 'password', 'port', 'nested', 'none'].map((jsonKey) => p.parseLink({ arn, jsonKey }));
    const results = await readLinks(p, links, keySession(), { signal: signal() });
    expect(okValues(results)).toEqual(['admin', 's3cr3t-pw', '5432', '{"a":[1,2]}', 'null']);
    // Five links into one document: one read.
    expect(aws.ops()).toEqual(['GetSecretValue']);
  });

  it('answers a missing JSON key with KEY_NOT_FOUND listing key names, never values', async () => {
    const arn = arnOf('json');
    fakeAws({ secretsmanager: store({ [arn]: JSON.stringify({ user: 'admin-value-x', password: 'pw-value-y' }) }) });
    const p = createAwsProvider();
    const [result] = await readLinks(p, [p.parseLink({ arn, jsonKey: 'token' })], keySession(), { signal: signal() });
    expect(result!.ok).toBe(false);
    const error = (result as { ok: false; error: import('@vault/core').VaultError }).error;
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(error.message).toContain('Available keys: user, password');
    expect(error.details.availableKeys).toEqual(['user', 'password']);
    const rendered = `${error.message} ${JSON.stringify(error.toJSON())}`;
    expect(rendered).not.toContain('admin-value-x');
    expect(rendered).not.toContain('pw-value-y');
  });

  it('refuses --json-key on a secret that is not a JSON object, without quoting the value', async () => {
    const arn = arnOf('plain');
    fakeAws({ secretsmanager: store({ [arn]: '{not json at all: hunter2' }) });
    const p = createAwsProvider();
    const [result] = await readLinks(p, [p.parseLink({ arn, jsonKey: 'k' })], keySession(), { signal: signal() });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_VALUE' } });
    const error = (result as { ok: false; error: Error }).error;
    expect(`${error.message}${String(error.cause ?? '')}`).not.toContain('hunter2');
  });

  it('fails SecretBinary with UNSUPPORTED_VALUE unless the link says --binary base64', async () => {
    const arn = arnOf('bin');
    fakeAws({ secretsmanager: store({ [arn]: new Uint8Array([0, 1, 2, 253, 254, 255]) }) });
    const p = createAwsProvider();
    const results = await readLinks(p, [p.parseLink({ arn }), p.parseLink({ arn, binary: 'base64' })], keySession(), { signal: signal() });
    expect(results[0]).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED_VALUE', fix: { action: 'relink', provider: 'aws', flags: { binary: 'base64' } } },
    });
    expect(results[1]).toMatchObject({ ok: true, value: 'AAEC/f7/' });
  });
});

describe('batching and de-duplication (counted upstream calls)', () => {
  it('reads 45 distinct secrets with 3 BatchGetSecretValue calls of at most 20 ids', async () => {
    const secrets = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [arnOf(`s${i}`), `value-${i}`]));
    const aws = fakeAws({ secretsmanager: store(secrets) });
    const p = createAwsProvider();
    const arns = Object.keys(secrets);
    const results = await readLinks(
      p,
      arns.map((arn) => p.parseLink({ arn })),
      keySession(),
      { signal: signal() },
    );
    expect(okValues(results)).toEqual(arns.map((_, i) => `value-${i}`));
    expect(aws.ops()).toEqual(['BatchGetSecretValue', 'BatchGetSecretValue', 'BatchGetSecretValue']);
    expect(aws.calls.map((c) => (c.body.SecretIdList as string[]).length).sort()).toEqual([20, 20, 5]);
  });

  it('reads an ARN linked several times (different JSON keys, repeated links) once', async () => {
    const a = arnOf('a');
    const b = arnOf('b');
    const aws = fakeAws({ secretsmanager: store({ [a]: '{"u":"x","p":"y"}', [b]: 'plain-b' }) });
    const p = createAwsProvider();
    const links = [
      p.parseLink({ arn: a, jsonKey: 'u' }),
      p.parseLink({ arn: a, jsonKey: 'p' }),
      p.parseLink({ arn: b }),
      p.parseLink({ arn: b }),
      p.parseLink({ arn: a }),
    ];
    const results = await readLinks(p, links, keySession(), { signal: signal() });
    expect(okValues(results)).toEqual(['x', 'y', 'plain-b', 'plain-b', '{"u":"x","p":"y"}']);
    expect(aws.calls).toHaveLength(1);
    expect(aws.calls[0]!.body.SecretIdList).toEqual([a, b]);
  });

  it('maps per-secret batch errors to that secret alone', async () => {
    const ok = arnOf('ok');
    const missing = arnOf('missing');
    const denied = arnOf('denied');
    const kms = arnOf('kms');
    const deleted = arnOf('deleted');
    fakeAws({
      secretsmanager: () => [
        200,
        {
          SecretValues: [{ ARN: ok, Name: 'ok', SecretString: 'fine', VersionId: 'v1' }],
          Errors: [
            { SecretId: missing, ErrorCode: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." },
            { SecretId: denied, ErrorCode: 'AccessDeniedException', Message: 'not authorized to perform: secretsmanager:GetSecretValue' },
            { SecretId: kms, ErrorCode: 'DecryptionFailure', Message: 'Access to KMS is not allowed' },
            {
              SecretId: deleted,
              ErrorCode: 'InvalidRequestException',
              Message: "You can't perform this operation on the secret because it was marked for deletion.",
            },
          ],
        },
      ],
    });
    const p = createAwsProvider();
    const results = await readLinks(
      p,
      [ok, missing, denied, kms, deleted].map((arn) => p.parseLink({ arn })),
      keySession(),
      { signal: signal() },
    );
    expect(okValues(results)).toEqual(['fine', '!NOT_FOUND', '!ACCESS_DENIED', '!ACCESS_DENIED', '!SECRET_DISABLED']);
    const deniedError = (results[2] as { ok: false; error: Error }).error;
    expect(deniedError.message).toContain('secretsmanager:GetSecretValue');
    expect(deniedError.message).toContain(denied);
    expect((results[3] as { ok: false; error: Error }).error.message).toContain('kms:Decrypt');
  });

  it('falls back to GetSecretValue when BatchGetSecretValue is denied, and remembers it', async () => {
    const a = arnOf('a');
    const b = arnOf('b');
    const values = store({ [a]: 'va', [b]: 'vb' });
    const aws = fakeAws({
      secretsmanager: (op, body) =>
        op === 'BatchGetSecretValue'
          ? smError('AccessDeniedException', 'not authorized to perform: secretsmanager:BatchGetSecretValue')
          : values(op, body),
    });
    const p = createAwsProvider();
    const links = [p.parseLink({ arn: a }), p.parseLink({ arn: b })];
    expect(okValues(await readLinks(p, links, keySession(), { signal: signal() }))).toEqual(['va', 'vb']);
    expect(aws.ops()).toEqual(['BatchGetSecretValue', 'GetSecretValue', 'GetSecretValue']);
    expect(okValues(await readLinks(p, links, keySession(), { signal: signal() }))).toEqual(['va', 'vb']);
    expect(aws.ops().slice(3)).toEqual(['GetSecretValue', 'GetSecretValue']);
  });

  it('uses the region of each ARN: one client and one call per region', async () => {
    const east = arnOf('e', 'us-east-1');
    const west = arnOf('w', 'eu-west-1');
    const west2 = arnOf('w2', 'eu-west-1');
    const aws = fakeAws({ secretsmanager: store({ [east]: 'E', [west]: 'W', [west2]: 'W2' }) });
    const p = createAwsProvider();
    const results = await readLinks(
      p,
      [east, west, west2].map((arn) => p.parseLink({ arn })),
      keySession(),
      { signal: signal() },
    );
    expect(okValues(results)).toEqual(['E', 'W', 'W2']);
    const byRegion = Object.fromEntries(aws.calls.map((c) => [signedRegion(c), c.op]));
    expect(byRegion).toEqual({ 'us-east-1': 'GetSecretValue', 'eu-west-1': 'BatchGetSecretValue' });
  });
});

describe('roles', () => {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/team/reader`;
  const roleCredentials = {
    accessKeyId: 'ASIAROLECREDS0000001',
    secretAccessKey: 'role-secret',
    sessionToken: 'role-token',
    expiration: new Date(Date.now() + 3_600_000),
  };

  it('assumes the role once, signs the reads with its credentials, and shares them across fetches', async () => {
    const a = arnOf('a');
    const b = arnOf('b');
    const c = arnOf('c');
    const aws = fakeAws({ secretsmanager: store({ [a]: 'A', [b]: 'B', [c]: 'C' }), sts: () => stsAssumeRole(roleCredentials, roleArn) });
    const p = createAwsProvider();
    const session = keySession();
    const first = await readLinks(
      p,
      [p.parseLink({ arn: a, roleArn }), p.parseLink({ arn: b, roleArn }), p.parseLink({ arn: c })],
      session,
      { signal: signal() },
    );
    expect(okValues(first)).toEqual(['A', 'B', 'C']);
    const second = await readLinks(p, [p.parseLink({ arn: c, roleArn })], session, { signal: signal() });
    expect(okValues(second)).toEqual(['C']);

    expect(aws.ops('sts')).toEqual(['AssumeRole']);
    const assume = aws.calls.find((x) => x.op === 'AssumeRole')!;
    expect(assume.body.RoleArn).toBe(roleArn);
    expect(signedWith(assume)).toBe(KEYS.accessKeyId);
    const reads = aws.calls.filter((x) => x.service === 'secretsmanager');
    // a+b through the role (one batch), c with the session's own keys, then c through the role.
    expect(reads.map((x) => [x.op, signedWith(x)])).toEqual(
      expect.arrayContaining([
        ['BatchGetSecretValue', roleCredentials.accessKeyId],
        ['GetSecretValue', KEYS.accessKeyId],
        ['GetSecretValue', roleCredentials.accessKeyId],
      ]),
    );
    expect(reads).toHaveLength(3);
  });

  it('assumes the role again once its credentials expire', async () => {
    const a = arnOf('a');
    const soon = { ...roleCredentials, expiration: new Date(Date.now() + 30_000) };
    const aws = fakeAws({ secretsmanager: store({ [a]: 'A' }), sts: () => stsAssumeRole(soon, roleArn) });
    const p = createAwsProvider();
    await readLinks(p, [p.parseLink({ arn: a, roleArn })], keySession(), { signal: signal() });
    await readLinks(p, [p.parseLink({ arn: a, roleArn })], keySession(), { signal: signal() });
    // Credentials within a minute of expiry are renewed rather than reused.
    expect(aws.ops('sts')).toEqual(['AssumeRole', 'AssumeRole']);
  });

  it('drops cached role credentials AWS stops accepting, so the next fetch assumes the role again', async () => {
    const a = arnOf('a');
    let rejectRole = true;
    const aws = fakeAws({
      secretsmanager: (op, body, call) =>
        rejectRole && signedWith(call) === roleCredentials.accessKeyId
          ? smError('ExpiredTokenException', 'The security token included in the request is expired')
          : store({ [a]: 'A' })(op, body),
      sts: () => stsAssumeRole(roleCredentials, roleArn),
    });
    const p = createAwsProvider();
    expect(okValues(await readLinks(p, [p.parseLink({ arn: a, roleArn })], keySession(), { signal: signal() }))).toEqual([
      '!REAUTH_REQUIRED',
    ]);
    rejectRole = false;
    expect(okValues(await readLinks(p, [p.parseLink({ arn: a, roleArn })], keySession(), { signal: signal() }))).toEqual(['A']);
    expect(aws.ops('sts')).toEqual(['AssumeRole', 'AssumeRole']);
  });

  it('reports a denied AssumeRole as ACCESS_DENIED naming sts:AssumeRole, for every secret using the role', async () => {
    const a = arnOf('a');
    const b = arnOf('b');
    const aws = fakeAws({
      secretsmanager: store({ [a]: 'A', [b]: 'B' }),
      sts: () =>
        stsError(
          'AccessDenied',
          `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        ),
    });
    const p = createAwsProvider();
    const results = await readLinks(
      p,
      [p.parseLink({ arn: a, roleArn }), p.parseLink({ arn: b, roleArn }), p.parseLink({ arn: b })],
      keySession(),
      { signal: signal() },
    );
    expect(okValues(results)).toEqual(['!ACCESS_DENIED', '!ACCESS_DENIED', 'B']);
    const error = (results[0] as { ok: false; error: import('@vault/core').VaultError }).error;
    expect(error.message).toContain('sts:AssumeRole');
    expect(error.message).toContain(roleArn);
    expect(error.details.permission).toBe('sts:AssumeRole');
    expect(aws.ops('sts')).toEqual(['AssumeRole']);
  });
});
