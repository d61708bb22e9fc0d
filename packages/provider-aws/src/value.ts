/**
 * Turns a read secret document into the value of one link: the SecretString exactly as
 * stored, one top-level JSON key of it, or SecretBinary as base64 when the link asks.
 * Errors here never quote the value (JSON.parse messages would, so they are not passed on).
 */
import { VaultError, type FetchResult } from '@vault/core';
import type { AwsLink } from './link.js';
import { PROVIDER_ID } from './options.js';

/** One secret as read from AWS (AWSCURRENT). */
export interface SecretDocument {
  secretString?: string;
  secretBinary?: Uint8Array;
  versionId?: string;
}

function fail(error: VaultError): FetchResult {
  return { ok: false, error };
}

function relinkFix(link: AwsLink, flags: string): string {
  return `vaultlink link NAME --provider aws --arn ${link.arn}${link.roleArn ? ` --role-arn ${link.roleArn}` : ''} ${flags}`.trim();
}

function pickJsonKey(link: AwsLink & { jsonKey: string }, text: string): FetchResult | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the input, i.e. the secret; report the fact without it.
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(new VaultError('UNSUPPORTED_VALUE', `Secret ${link.arn} is not a JSON object, so --json-key "${link.jsonKey}" cannot select from it.`, {
      provider: PROVIDER_ID,
      fix: `link it without --json-key: ${relinkFix(link, '')}`,
      details: { arn: link.arn, jsonKey: link.jsonKey },
    }));
  }
  const record = parsed as Record<string, unknown>;
  if (!Object.hasOwn(record, link.jsonKey)) {
    const keys = Object.keys(record);
    return fail(new VaultError('KEY_NOT_FOUND', `Secret ${link.arn} has no top-level JSON key "${link.jsonKey}". Available keys: ${keys.length ? keys.join(', ') : '(none)'}.`, {
      provider: PROVIDER_ID,
      fix: `link it with one of the available keys: ${relinkFix(link, '--json-key KEY')}`,
      details: { arn: link.arn, jsonKey: link.jsonKey, availableKeys: keys },
    }));
  }
  const picked = record[link.jsonKey];
  // Strings come back as stored; numbers, booleans, null and nested JSON as their JSON text.
  return typeof picked === 'string' ? picked : JSON.stringify(picked);
}

export function valueFor(link: AwsLink, document: SecretDocument): FetchResult {
  const version = document.versionId ? { version: document.versionId } : {};
  if (typeof document.secretString === 'string') {
    if (link.jsonKey === undefined) return { ok: true, value: document.secretString, ...version };
    const picked = pickJsonKey(link as AwsLink & { jsonKey: string }, document.secretString);
    return typeof picked === 'string' ? { ok: true, value: picked, ...version } : picked;
  }
  if (document.secretBinary) {
    if (link.binary === 'base64') return { ok: true, value: Buffer.from(document.secretBinary).toString('base64'), ...version };
    return fail(new VaultError('UNSUPPORTED_VALUE', `Secret ${link.arn} holds binary data (SecretBinary), not text.`, {
      provider: PROVIDER_ID,
      fix: `link it with --binary base64 to get the bytes as base64: ${relinkFix(link, '--binary base64')}`,
      details: { arn: link.arn },
    }));
  }
  return fail(new VaultError('UNSUPPORTED_VALUE', `Secret ${link.arn} has neither SecretString nor SecretBinary in its AWSCURRENT version.`, {
    provider: PROVIDER_ID,
    fix: 'store a value in the secret with `aws secretsmanager put-secret-value`',
    details: { arn: link.arn },
  }));
}
