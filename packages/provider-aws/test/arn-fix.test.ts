/** Invalid ARNs name how to get a correct one (issue 12 item 14): a `fix`, so the CLI prints a `Fix:` line. */
import { IssueList, VaultError } from '@vault/core';
import { describe, expect, it } from 'vitest';
import { createAwsProvider } from '../src/index.js';
import { parseSecretArn, ROLE_ARN_FIX, SECRET_ARN_FIX } from '../src/arn.js';

const provider = createAwsProvider();
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
    expect(error.fix).toBe(SECRET_ARN_FIX);
    expect(error.message).toContain(`\nFix: ${SECRET_ARN_FIX}`);
    expect(error.toJSON()).toMatchObject({ fix: SECRET_ARN_FIX });
  });

  it('a bad role ARN gets the role fix; both bad get both, once each', () => {
    expect(rejection({ arn, roleArn: 'arn:aws:iam::42:role/x' }).fix).toBe(ROLE_ARN_FIX);
    expect(rejection({ arn: 'nope', roleArn: 'also-nope' }).fix).toBe(`${SECRET_ARN_FIX}; ${ROLE_ARN_FIX}`);
  });

  it('a valid ARN adds no fix to the list', () => {
    const issues = new IssueList();
    expect(parseSecretArn(arn, 'arn', issues)?.name).toBe('db');
    expect(issues.fixes).toEqual([]);
  });
});
