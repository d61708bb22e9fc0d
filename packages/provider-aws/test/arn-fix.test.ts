/**
 * Invalid ARNs name how to get a correct one (issue 12 item 14): a `relink` fix naming the flag and
 * where to copy the exact ARN from, which the CLI prints as its `Fix:` line.
 */
import { IssueList, VaultError, type Fix } from '@vault/core/provider';
import { describe, expect, it } from 'vitest';
import { createAwsProvider } from '../src/index.js';
import { parseSecretArn, ROLE_ARN_FIX, SECRET_ARN_FIX } from '../src/arn.js';

const provider = createAwsProvider();
const hint = (fix: Fix) => ('hint' in fix ? fix.hint : undefined);
const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-abcdef';

function rejection(fields: Record<string, unknown>): VaultError {
  try {
    provider.parseLink(fields as never);
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('parseLink accepted the link');
}

describe('invalid ARNs carry a fix', () => {
  it.each([
    ['a secret name', { arn: 'prod/db' }],
    ['a partial ARN', { arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' }],
    ['a missing ARN', {}],
  ])('%s: the fix says where to copy the full secret ARN from', (_what, fields) => {
    const error = rejection(fields);
    expect(error.code).toBe('INVALID_LINK');
    expect(error.fix).toEqual(SECRET_ARN_FIX);
    expect(error.fix).toMatchObject({
      action: 'relink',
      provider: 'aws',
      flags: { arn: 'ARN' },
      hint: expect.stringContaining('aws secretsmanager describe-secret'),
    });
    expect(error.toJSON()).toMatchObject({ fix: SECRET_ARN_FIX });
  });

  it('a bad role ARN gets the role fix; both bad get one relink with both flags and both hints, once each', () => {
    expect(rejection({ arn, roleArn: 'arn:aws:iam::42:role/x' }).fix).toEqual(ROLE_ARN_FIX);
    const both = rejection({ arn: 'nope', roleArn: 'also-nope' }).fix;
    expect(both).toEqual({
      action: 'relink',
      provider: 'aws',
      flags: { arn: 'ARN', 'role-arn': 'ROLE_ARN' },
      hint: `${hint(SECRET_ARN_FIX)}; ${hint(ROLE_ARN_FIX)}`,
    });
  });

  it('a valid ARN adds no fix to the list', () => {
    const issues = new IssueList();
    expect(parseSecretArn(arn, 'arn', issues)?.name).toBe('db');
    expect(issues.fixes).toEqual([]);
  });
});
