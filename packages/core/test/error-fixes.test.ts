/** Errors that used to lack a fix (issue 12 item 14): invalid secret names and VAULTLINK_KEYCHAIN values. */
import { describe, expect, it } from 'vitest';
import { assertSecretName, IssueList, openFileStore, VaultError } from '../src/index.js';

function thrown(work: () => unknown): VaultError {
  try {
    work();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

describe('error fixes', () => {
  it.each([
    ['a{{b', 'use a name without { } or control characters, such as "a__b"'],
    ['tab\there', 'use a name without { } or control characters, such as "tab_here"'],
    ['   ', 'use a name of 1-200 characters without { } or control characters, such as stripe_key'],
    ['', 'use a name of 1-200 characters without { } or control characters, such as stripe_key'],
  ])('an invalid secret name %j gets a fix naming a valid form', (name, fix) => {
    const error = thrown(() => assertSecretName(name));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fix).toBe(fix);
    expect(error.toJSON()).toMatchObject({ fix });
    expect(error.message.split('\n').at(-1)).toBe(`Fix: ${fix}`);
  });

  it('VAULTLINK_KEYCHAIN=bogus is INVALID_CONFIG with a fix naming the accepted values', async () => {
    const error = await openFileStore({ env: { VAULTLINK_KEYCHAIN: 'bogus', VAULTLINK_HOME: '/nonexistent-vaultlink' } }).then(
      () => undefined,
      (caught: unknown) => caught as VaultError,
    );
    expect(error?.code).toBe('INVALID_CONFIG');
    expect(error?.fix).toBe('set VAULTLINK_KEYCHAIN=auto or VAULTLINK_KEYCHAIN=off (or unset it for auto)');
  });

  it('IssueList: a parser suggests a fix; throwIfAny uses it unless the caller gives its own', () => {
    const issues = new IssueList().add('arn', 'is bad', 'an ARN').suggestFix('copy it').suggestFix('copy it');
    expect(thrown(() => issues.throwIfAny('INVALID_LINK', 'Bad link.')).fix).toBe('copy it');
    expect(thrown(() => issues.throwIfAny('INVALID_LINK', 'Bad link.', { fix: 'own fix' })).fix).toBe('own fix');
  });
});
