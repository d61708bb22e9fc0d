/** The AWS link: what `vaultlink link --provider aws` stores. Pure, no network. */
import { IssueList, type LinkSummary, type ProviderFields } from '@vault/core';
import { parseRoleArn, parseSecretArn, type SecretArn } from './arn.js';
import { PROVIDER_ID } from './options.js';

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

export function parseLink(fields: ProviderFields): AwsLink {
  const issues = new IssueList();
  const secret = parseSecretArn(fields.arn, 'arn', issues);
  const role = fields.roleArn === undefined ? undefined : parseRoleArn(fields.roleArn, 'role-arn', issues);
  if (secret && role && secret.partition !== role.partition) {
    issues.add('role-arn', `is in partition ${role.partition} but the secret is in ${secret.partition}`, `a role ARN in the ${secret.partition} partition`);
  }

  let jsonKey: string | undefined;
  if (fields.jsonKey !== undefined) {
    if (typeof fields.jsonKey !== 'string' || fields.jsonKey === '') {
      issues.add('json-key', 'must be a non-empty key name', 'the name of one top-level key of the JSON secret, e.g. password');
    } else {
      jsonKey = fields.jsonKey;
    }
  }

  let binary: 'base64' | undefined;
  if (fields.binary !== undefined) {
    if (fields.binary !== 'base64') {
      issues.add('binary', `"${String(fields.binary)}" is not a supported encoding`, 'base64');
    } else if (jsonKey !== undefined) {
      issues.add('binary', 'cannot be combined with --json-key (binary secrets are not JSON)', 'either --json-key or --binary base64');
    } else {
      binary = 'base64';
    }
  }

  issues.throwIfAny('INVALID_LINK', 'Invalid AWS Secrets Manager link.', { provider: PROVIDER_ID });
  return {
    arn: secret!.arn,
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
