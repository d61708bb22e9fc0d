import { VaultError } from '@vault/core/provider';
import { describe, expect, it } from 'vitest';
import { createAwsProvider } from '../src/index.js';
import { ROLE_ARN_SHAPE, SECRET_ARN_SHAPE } from '../src/arn.js';

const provider = createAwsProvider();

function rejection(fields: Record<string, unknown>): VaultError {
  try {
    provider.parseLink(fields as never);
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error(`parseLink accepted ${JSON.stringify(fields)}`);
}

describe('secret ARN', () => {
  it.each([
    ['aws', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-password-AbC123', 'us-east-1'],
    ['aws-cn', 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:api_key-a1B2c3', 'cn-north-1'],
    ['aws-us-gov', 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:token+x=y.z@w-ZZZZZZ', 'us-gov-west-1'],
  ])('accepts the %s partition and takes the region from the ARN', (_partition, arn, region) => {
    const link = provider.parseLink({ arn });
    expect(link).toEqual({ arn });
    expect(provider.summarize(link)).toEqual({ identifier: arn, extra: { account: '123456789012', region } });
  });

  it('trims surrounding whitespace of a pasted ARN', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-abcdef';
    expect(provider.parseLink({ arn: `  ${arn}\n` }).arn).toBe(arn);
  });

  it.each([
    ['a secret name', 'prod/db-password', /not a secret ARN/],
    [
      'a partial ARN without the 6-character suffix',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:db',
      /lacks the "-" and 6-character suffix/,
    ],
    [
      'an unknown partition',
      'arn:aws-iso:secretsmanager:us-iso-east-1:123456789012:secret:db-abcdef',
      /partition "aws-iso" is not supported/,
    ],
    ['another service', 'arn:aws:ssm:us-east-1:123456789012:secret:db-abcdef', /service is "ssm"/],
    ['a bad region', 'arn:aws:secretsmanager:useast1:123456789012:secret:db-abcdef', /region "useast1" is not an AWS region/],
    ['a region of another partition', 'arn:aws-cn:secretsmanager:us-east-1:123456789012:secret:db-abcdef', /not in the aws-cn partition/],
    ['a gov region in the aws partition', 'arn:aws:secretsmanager:us-gov-west-1:123456789012:secret:db-abcdef', /not in the aws partition/],
    ['a short account', 'arn:aws:secretsmanager:us-east-1:12345678901:secret:db-abcdef', /account "12345678901" is not a 12-digit/],
    ['another resource type', 'arn:aws:secretsmanager:us-east-1:123456789012:key:db-abcdef', /resource type is "key"/],
    ['a colon in the name', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db:x-abcdef', /more than 7 colon-separated parts/],
    ['bad name characters', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db name-abcdef', /characters other than/],
  ])('rejects %s with INVALID_LINK naming arn and the expected shape', (_what, arn, problem) => {
    const error = rejection({ arn });
    expect(error.code).toBe('INVALID_LINK');
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.issues.every((i) => i.field === 'arn')).toBe(true);
    expect(error.issues.map((i) => i.problem).join('\n')).toMatch(problem);
    expect(error.issues.some((i) => i.expected.includes('arn:<partition>:secretsmanager') || i.expected.includes('region'))).toBe(true);
    expect(error.message).toContain('arn:');
  });

  it('lists every bad part of one ARN at once', () => {
    const error = rejection({ arn: 'arn:aws-xx:kms:moon:42:key:k' });
    const problems = error.issues.map((i) => i.problem);
    expect(problems).toEqual([
      expect.stringMatching(/partition "aws-xx"/),
      expect.stringMatching(/service is "kms"/),
      expect.stringMatching(/region "moon"/),
      expect.stringMatching(/account "42"/),
      expect.stringMatching(/resource type is "key"/),
      expect.stringMatching(/lacks the "-" and 6-character suffix/),
    ]);
    expect(error.issues.every((i) => i.expected.length > 0)).toBe(true);
  });

  it('requires the ARN and shows its shape', () => {
    const error = rejection({});
    expect(error.issues).toEqual([{ field: 'arn', problem: 'is required', expected: SECRET_ARN_SHAPE }]);
    expect(error.message).toContain(SECRET_ARN_SHAPE);
  });
});

describe('role ARN, JSON key and binary mode', () => {
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-abcdef';

  it('accepts a role with a path and shows it in the summary', () => {
    const roleArn = 'arn:aws:iam::210987654321:role/team/secret-reader';
    const link = provider.parseLink({ arn, roleArn, jsonKey: 'password' });
    expect(link).toEqual({ arn, roleArn, jsonKey: 'password' });
    expect(provider.summarize(link).extra).toMatchObject({ role: roleArn, jsonKey: 'password', account: '123456789012' });
  });

  it.each([
    ['a region in the role ARN', 'arn:aws:iam:us-east-1:123456789012:role/r', /has a region/],
    ['a user instead of a role', 'arn:aws:iam::123456789012:user/alice', /is not a role/],
    ['a bad account', 'arn:aws:iam::12:role/r', /account "12"/],
    ['an empty role name', 'arn:aws:iam::123456789012:role/', /role name "" is empty/],
    ['a secret ARN', arn, /is not a role ARN/],
    ['another partition than the secret', 'arn:aws-cn:iam::123456789012:role/r', /partition aws-cn but the secret is in aws/],
  ])('rejects %s under role-arn', (_what, roleArn, problem) => {
    const error = rejection({ arn, roleArn });
    expect(error.issues.map((i) => i.field)).toContain('role-arn');
    expect(error.issues.map((i) => i.problem).join('\n')).toMatch(problem);
    expect(error.message).toContain('role-arn');
    expect(error.issues.find((i) => i.field === 'role-arn')!.expected.length).toBeGreaterThan(0);
  });

  it('names every bad field of one link at once', () => {
    const error = rejection({ arn: 'nope', roleArn: 'also-nope', jsonKey: '', binary: 'hex' });
    expect(error.issues.map((i) => i.field)).toEqual(['arn', 'role-arn', 'json-key', 'binary']);
    expect(error.issues.find((i) => i.field === 'role-arn')!.expected).toBe(ROLE_ARN_SHAPE);
    expect(error.issues.find((i) => i.field === 'binary')!.expected).toBe('one of base64');
  });

  it('refuses --binary together with --json-key', () => {
    const error = rejection({ arn, jsonKey: 'k', binary: 'base64' });
    expect(error.issues).toEqual([
      expect.objectContaining({ field: 'binary', problem: expect.stringMatching(/cannot be combined with --json-key/) }),
    ]);
  });
});

describe('documentKey', () => {
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-abcdef';
  const key = (fields: Record<string, unknown>) => provider.documentKey(provider.parseLink(fields as never));

  it('gives links to one ARN with different JSON keys or encodings one document', () => {
    expect(key({ arn, jsonKey: 'user' })).toBe(key({ arn, jsonKey: 'password' }));
    expect(key({ arn })).toBe(key({ arn, binary: 'base64' }));
  });

  it('separates documents read through different roles or ARNs', () => {
    expect(key({ arn })).not.toBe(key({ arn, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    expect(key({ arn })).not.toBe(key({ arn: arn.replace('db-', 'db2-') }));
  });

  it('survives a JSON round trip of the stored link', () => {
    const link = provider.parseLink({ arn, roleArn: 'arn:aws:iam::123456789012:role/r', jsonKey: 'k' });
    expect(provider.documentKey(JSON.parse(JSON.stringify(link)))).toBe(provider.documentKey(link));
  });
});
