/**
 * Secret ARN and role ARN parsing. Each bad part of an ARN becomes its own issue so the
 * user can fix everything in one pass; every issue shows the shape we expect.
 */
import type { Fix, IssueList } from '@vault/core/provider';
import { PROVIDER_ID, REGION_PATTERN } from './options.js';

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

export const SECRET_ARN_SHAPE = 'arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 chars>';
export const ROLE_ARN_SHAPE = 'arn:<partition>:iam::<12-digit account>:role/<path/name>';

/** Link again with the exact ARN, and where the user finds it, so the fix is a copy rather than a guess. */
export const SECRET_ARN_FIX: Fix = {
  action: 'relink',
  provider: PROVIDER_ID,
  flags: { arn: 'ARN' },
  hint: 'copy the full secret ARN from the Secrets Manager console (Secret details) or from `aws secretsmanager describe-secret --secret-id NAME --query ARN`',
};
export const ROLE_ARN_FIX: Fix = {
  action: 'relink',
  provider: PROVIDER_ID,
  flags: { 'role-arn': 'ROLE_ARN' },
  hint: 'copy the role ARN from the IAM console (Roles) or from `aws iam get-role --role-name NAME --query Role.Arn`',
};

export interface SecretArn {
  arn: string;
  partition: Partition;
  region: string;
  account: string;
  /** Secret name without the 6-character suffix Secrets Manager appends. */
  name: string;
}

export interface RoleArn {
  arn: string;
  partition: Partition;
  account: string;
  /** Role name with its path, e.g. `team/reader`. */
  name: string;
}

const ACCOUNT = /^\d{12}$/;
// Secret names allow letters, digits and /_+=.@- ; the console-made ARN adds `-` and 6 letters/digits.
const SECRET_NAME_WITH_SUFFIX = /^([A-Za-z0-9/_+=.@-]{1,512})-([A-Za-z0-9]{6})$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH_SEGMENT = /^[\x21-\x7e]+$/;

function isPartition(value: string): value is Partition {
  return (PARTITIONS as readonly string[]).includes(value);
}

/** aws-cn regions start with `cn-`, aws-us-gov with `us-gov-`; the aws partition has neither. */
function regionFitsPartition(region: string, partition: Partition): boolean {
  if (partition === 'aws-cn') return region.startsWith('cn-');
  if (partition === 'aws-us-gov') return region.startsWith('us-gov-');
  return !region.startsWith('cn-') && !region.startsWith('us-gov-');
}

function expectedPartition(): string {
  return `one of ${PARTITIONS.join(', ')}, in ${SECRET_ARN_SHAPE}`;
}

/** Parses a Secrets Manager secret ARN, adding one issue per bad part to `issues` (and the fix). */
export function parseSecretArn(raw: unknown, field: string, issues: IssueList): SecretArn | undefined {
  const before = issues.items.length;
  const parsed = checkSecretArn(raw, field, issues);
  if (issues.items.length > before) issues.suggestFix(SECRET_ARN_FIX);
  return parsed;
}

function checkSecretArn(raw: unknown, field: string, issues: IssueList): SecretArn | undefined {
  if (raw === undefined || raw === null || raw === '') {
    issues.add(field, 'is required', SECRET_ARN_SHAPE);
    return undefined;
  }
  if (typeof raw !== 'string') {
    issues.add(field, 'must be a single string', SECRET_ARN_SHAPE);
    return undefined;
  }
  const arn = raw.trim();
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts.length < 7) {
    issues.add(field, `"${arn}" is not a secret ARN (a secret name or partial ARN is not enough)`, SECRET_ARN_SHAPE);
    return undefined;
  }
  if (parts.length > 7) {
    issues.add(field, 'has more than 7 colon-separated parts (secret names cannot contain ":")', SECRET_ARN_SHAPE);
    return undefined;
  }
  const [, partition = '', service = '', region = '', account = '', resourceType = '', resource = ''] = parts;
  const before = issues.items.length;

  if (!isPartition(partition)) issues.add(field, `partition "${partition}" is not supported`, expectedPartition());
  if (service !== 'secretsmanager') issues.add(field, `service is "${service}", not secretsmanager`, SECRET_ARN_SHAPE);
  if (!REGION_PATTERN.test(region)) {
    issues.add(field, `region "${region}" is not an AWS region`, `a region such as us-east-1, in ${SECRET_ARN_SHAPE}`);
  } else if (isPartition(partition) && !regionFitsPartition(region, partition)) {
    issues.add(
      field,
      `region "${region}" is not in the ${partition} partition`,
      `a ${partition} region (${partitionRegionHint(partition)})`,
    );
  }
  if (!ACCOUNT.test(account)) issues.add(field, `account "${account}" is not a 12-digit account ID`, `12 digits, in ${SECRET_ARN_SHAPE}`);
  if (resourceType !== 'secret') issues.add(field, `resource type is "${resourceType}", not secret`, SECRET_ARN_SHAPE);
  const match = SECRET_NAME_WITH_SUFFIX.exec(resource);
  if (!match) {
    const problem = SECRET_NAME.test(resource)
      ? `secret "${resource}" lacks the "-" and 6-character suffix of a full ARN`
      : `secret name "${resource}" is empty or has characters other than letters, digits and /_+=.@-`;
    issues.add(field, problem, `the full ARN from the Secrets Manager console: ${SECRET_ARN_SHAPE}`);
  }

  if (issues.items.length > before || !match || !isPartition(partition)) return undefined;
  return { arn, partition, region, account, name: match[1]! };
}

function partitionRegionHint(partition: Partition): string {
  if (partition === 'aws-cn') return 'cn-north-1 or cn-northwest-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1 or us-gov-east-1';
  return 'e.g. us-east-1';
}

/** Parses an IAM role ARN, adding one issue per bad part to `issues` (and the fix). */
export function parseRoleArn(raw: unknown, field: string, issues: IssueList): RoleArn | undefined {
  const before = issues.items.length;
  const parsed = checkRoleArn(raw, field, issues);
  if (issues.items.length > before) issues.suggestFix(ROLE_ARN_FIX);
  return parsed;
}

function checkRoleArn(raw: unknown, field: string, issues: IssueList): RoleArn | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    issues.add(field, typeof raw === 'string' ? 'is empty' : 'must be a single string', ROLE_ARN_SHAPE);
    return undefined;
  }
  const arn = raw.trim();
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts.length !== 6) {
    issues.add(field, `"${arn}" is not a role ARN`, ROLE_ARN_SHAPE);
    return undefined;
  }
  const [, partition = '', service = '', region = '', account = '', resource = ''] = parts;
  const before = issues.items.length;

  if (!isPartition(partition))
    issues.add(field, `partition "${partition}" is not supported`, `one of ${PARTITIONS.join(', ')}, in ${ROLE_ARN_SHAPE}`);
  if (service !== 'iam') issues.add(field, `service is "${service}", not iam`, ROLE_ARN_SHAPE);
  if (region !== '')
    issues.add(field, `has a region ("${region}"); IAM ARNs have none`, `an empty region field ("iam::"), in ${ROLE_ARN_SHAPE}`);
  if (!ACCOUNT.test(account)) issues.add(field, `account "${account}" is not a 12-digit account ID`, `12 digits, in ${ROLE_ARN_SHAPE}`);

  let name = '';
  if (!resource.startsWith('role/')) {
    issues.add(field, `resource "${resource}" is not a role`, `role/<path/name>, in ${ROLE_ARN_SHAPE}`);
  } else {
    const segments = resource.slice('role/'.length).split('/');
    const roleName = segments.pop() ?? '';
    if (!ROLE_NAME.test(roleName)) {
      issues.add(
        field,
        `role name "${roleName}" is empty, longer than 64 characters or has characters other than letters, digits and _+=,.@-`,
        ROLE_ARN_SHAPE,
      );
    }
    if (segments.some((segment) => !ROLE_PATH_SEGMENT.test(segment))) {
      issues.add(field, 'role path has an empty segment or a non-printable character', ROLE_ARN_SHAPE);
    }
    name = [...segments, roleName].join('/');
  }

  if (issues.items.length > before || !isPartition(partition)) return undefined;
  return { arn, partition, account, name };
}
