/** The AWS link: what `vaultlink link --provider aws` stores. Pure, no network. */
import { IssueList, type FieldReader, type LinkSummary } from '@vault/core/provider';
import { parseRoleArn, parseSecretArn, type SecretArn } from './arn.js';
import { PROVIDER_ID, type LINK_FLAGS } from './options.js';

export interface AwsLink {
  /** Full secret ARN; the region in it picks the client. */
  arn: string;
  /** Role assumed through STS before reading the secret. */
  roleArn?: string;
  /** Top-level key of a JSON SecretString. */
  jsonKey?: string;
  /** Set when a SecretBinary secret should be returned as base64 text. */
  binary?: 'base64';
}

export function parseLink(fields: FieldReader<(typeof LINK_FLAGS)[number]['name']>): AwsLink {
  const issues = fields.issues;
  const secret = parseSecretArn(fields.text('arn'), 'arn', issues);
  const roleArn = fields.text('role-arn');
  const role = roleArn === undefined ? undefined : parseRoleArn(roleArn, 'role-arn', issues);
  if (secret && role && secret.partition !== role.partition) {
    issues.add(
      'role-arn',
      `is in partition ${role.partition} but the secret is in ${secret.partition}`,
      `a role ARN in the ${secret.partition} partition`,
    );
  }
  const jsonKey = fields.text('json-key');
  // `choices` (base64) were checked by the reader.
  const binary = fields.text('binary') as 'base64' | undefined;
  if (binary && jsonKey !== undefined)
    issues.add('binary', 'cannot be combined with --json-key (binary secrets are not JSON)', 'either --json-key or --binary base64');
  return {
    arn: secret?.arn ?? '',
    ...(role ? { roleArn: role.arn } : {}),
    ...(jsonKey !== undefined ? { jsonKey } : {}),
    ...(binary ? { binary } : {}),
  };
}

/** Parts of a stored link's ARN; the link was validated when it was made. */
export function secretArnOf(link: AwsLink): SecretArn {
  const issues = new IssueList();
  const parsed = parseSecretArn(link.arn, 'arn', issues);
  issues.throwIfAny('INVALID_LINK', 'The stored AWS link is damaged; link the secret again.', { provider: PROVIDER_ID });
  return parsed!;
}

/**
 * One upstream read per role + ARN. The JSON key and binary encoding are applied to the
 * document after it is read, so links that differ only in those share one fetch.
 */
export function documentKey(link: AwsLink): string {
  return `${link.roleArn ?? '-'} ${link.arn}`;
}

export function summarize(link: AwsLink): LinkSummary {
  const { account, region } = secretArnOf(link);
  return {
    identifier: link.arn,
    extra: {
      account,
      region,
      ...(link.roleArn ? { role: link.roleArn } : {}),
      ...(link.jsonKey !== undefined ? { jsonKey: link.jsonKey } : {}),
      ...(link.binary ? { binary: link.binary } : {}),
    },
  };
}
