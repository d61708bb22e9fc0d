/**
 * Secret names. They follow Postman's variable syntax: a name may hold any character
 * except `{` and `}` (Postman's substitutor matches `{{([^{}]*?)}}`), so spaces, dots,
 * dashes and colons are fine. We are stricter in three ways that only reject names
 * Postman could never match reliably: no control characters, no leading/trailing
 * whitespace, and at most 200 characters.
 */
import { VaultError, type FieldIssue } from './errors.js';

export const MAX_SECRET_NAME_LENGTH = 200;

/** What a valid variant of a name replaces: braces and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what this replaces
const NAME_UNSAFE = /[{}\u0000-\u001f\u007f]/g;

export const SECRET_NAME_EXPECTED = `1-${MAX_SECRET_NAME_LENGTH} characters without { or } or control characters, not starting or ending with whitespace`;

/** Why a name is not a valid secret name, or undefined when it is valid. */
export function secretNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'name is empty';
  if (name.trim().length === 0) return 'name is only whitespace';
  if (name.length > MAX_SECRET_NAME_LENGTH) return `name is ${name.length} characters long`;
  if (/[{}]/.test(name)) return 'name contains { or }';
  // eslint-disable-next-line no-control-regex -- control characters are what this check rejects
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'name contains a control character';
  if (name.trim() !== name) return 'name starts or ends with whitespace';
  return undefined;
}

export function isValidSecretName(name: string): boolean {
  return typeof name === 'string' && secretNameProblem(name) === undefined;
}

/** Throws INVALID_INPUT naming `field` when `name` is not a valid secret name. */
export function assertSecretName(name: unknown, field = 'name'): asserts name is string {
  const problem = typeof name === 'string' ? secretNameProblem(name) : 'name is not a string';
  if (problem === undefined) return;
  const issue: FieldIssue = { field, problem, expected: SECRET_NAME_EXPECTED };
  throw new VaultError('INVALID_INPUT', 'Invalid secret name.', { issues: [issue], fix: secretNameFix(name) });
}

/** A fix naming a valid variant of the name when there is one (`a{{b` → `a__b`). */
function secretNameFix(name: unknown): string {
  const variant = typeof name === 'string' ? name.replace(NAME_UNSAFE, '_').trim().slice(0, MAX_SECRET_NAME_LENGTH).trim() : '';
  return isValidSecretName(variant)
    ? `use a name without { } or control characters, such as "${variant}"`
    : 'use a name of 1-200 characters without { } or control characters, such as stripe_key';
}
