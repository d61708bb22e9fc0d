/**
 * Turns a read secret document into the value of one link: the SecretString exactly as
 * stored, one top-level JSON key of it, or SecretBinary as base64 when the link asks.
 * Errors here never quote the value (JSON.parse messages would, so they are not passed on).
 */
import { VaultError, type FixFlags, type Selected } from '@vault/core/provider';
import type { AwsLink } from './link.js';
import { PROVIDER_ID } from './options.js';

/** One secret as read from AWS (AWSCURRENT). */
export interface SecretDocument {
  secretString?: string;
  secretBinary?: Uint8Array;
  versionId?: string;
}

function relink(link: AwsLink, flags: FixFlags, hint?: string) {
  return {
    action: 'relink',
    provider: PROVIDER_ID,
    flags: { arn: link.arn, ...(link.roleArn ? { 'role-arn': link.roleArn } : {}), ...flags },
    ...(hint ? { hint } : {}),
  } as const;
}

function pickJsonKey(link: AwsLink & { jsonKey: string }, text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the input, i.e. the secret; report the fact without it.
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new VaultError(
      'UNSUPPORTED_VALUE',
      `Secret ${link.arn} is not a JSON object, so --json-key "${link.jsonKey}" cannot select from it.`,
      {
        provider: PROVIDER_ID,
        fix: relink(link, {}, 'without --json-key'),
        details: { arn: link.arn, jsonKey: link.jsonKey },
      },
    );
  }
  const record = parsed as Record<string, unknown>;
  if (!Object.hasOwn(record, link.jsonKey)) {
    const keys = Object.keys(record);
    throw new VaultError(
      'KEY_NOT_FOUND',
      `Secret ${link.arn} has no top-level JSON key "${link.jsonKey}". Available keys: ${keys.length ? keys.join(', ') : '(none)'}.`,
      {
        provider: PROVIDER_ID,
        fix: relink(link, { 'json-key': 'KEY' }, 'one of the available keys'),
        details: { arn: link.arn, jsonKey: link.jsonKey, availableKeys: keys },
      },
    );
  }
  const picked = record[link.jsonKey];
  // Strings come back as stored; numbers, booleans, null and nested JSON as their JSON text.
  return typeof picked === 'string' ? picked : JSON.stringify(picked);
}

/** The link's value from its secret: the SecretString, one JSON key of it, or SecretBinary as base64. */
export function valueFor(link: AwsLink, document: SecretDocument): Selected {
  const version = document.versionId ? { version: document.versionId } : {};
  if (typeof document.secretString === 'string') {
    return {
      value: link.jsonKey === undefined ? document.secretString : pickJsonKey(link as AwsLink & { jsonKey: string }, document.secretString),
      ...version,
    };
  }
  if (document.secretBinary) {
    if (link.binary === 'base64') return { value: Buffer.from(document.secretBinary).toString('base64'), ...version };
    throw new VaultError('UNSUPPORTED_VALUE', `Secret ${link.arn} holds binary data (SecretBinary), not text.`, {
      provider: PROVIDER_ID,
      fix: relink(link, { binary: 'base64' }, 'to get the bytes as base64'),
      details: { arn: link.arn },
    });
  }
  throw new VaultError('UNSUPPORTED_VALUE', `Secret ${link.arn} has neither SecretString nor SecretBinary in its AWSCURRENT version.`, {
    provider: PROVIDER_ID,
    fix: 'store a value in the secret with `aws secretsmanager put-secret-value`',
    details: { arn: link.arn },
  });
}
