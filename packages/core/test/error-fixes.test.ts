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
    // No action fits renaming what the user typed: free text, which the CLI prints as its Fix: line.
    expect(error.fix).toEqual({ action: 'manual', text: fix });
    expect(error.toJSON()).toMatchObject({ fix: { action: 'manual', text: fix } });
  });

  it('VAULTLINK_KEYCHAIN=bogus is INVALID_CONFIG with a fix naming the accepted values', async () => {
    const error = await openFileStore({ env: { VAULTLINK_KEYCHAIN: 'bogus', VAULTLINK_HOME: '/nonexistent-vaultlink' } }).then(
      () => undefined,
      (caught: unknown) => caught as VaultError,
    );
    expect(error?.code).toBe('INVALID_CONFIG');
    expect(error?.fix).toEqual({ action: 'manual', text: 'set VAULTLINK_KEYCHAIN=auto or VAULTLINK_KEYCHAIN=off (or unset it for auto)' });
  });

  it('IssueList: a parser suggests a fix (data or text); throwIfAny uses it unless the caller gives its own', () => {
    const issues = new IssueList().add('arn', 'is bad', 'an ARN').suggestFix('copy it').suggestFix('copy it');
    expect(thrown(() => issues.throwIfAny('INVALID_LINK', 'Bad link.')).fix).toEqual({ action: 'manual', text: 'copy it' });
    expect(thrown(() => issues.throwIfAny('INVALID_LINK', 'Bad link.', { fix: 'own fix' })).fix).toEqual({
      action: 'manual',
      text: 'own fix',
    });
    expect(thrown(() => issues.throwIfAny('INVALID_LINK', 'Bad link.', { fix: { action: 'list' } })).fix).toEqual({ action: 'list' });

    const structured = new IssueList()
      .add('role', 'is bad', 'a role')
      .suggestFix({ action: 'reauth', provider: 'aws' })
      .suggestFix({ action: 'reauth', provider: 'aws' });
    expect(structured.fixes).toEqual([{ action: 'reauth', provider: 'aws' }]);
    expect(thrown(() => structured.throwIfAny('INVALID_INPUT', 'Bad.')).fix).toEqual({ action: 'reauth', provider: 'aws' });
  });

  it('IssueList: several free-text fixes join into one; with a structured one among them, the first fix wins', () => {
    const texts = new IssueList()
      .add('a', 'is bad', 'x')
      .suggestFix('copy the ARN')
      .add('b', 'is bad', 'y')
      .suggestFix('copy the role ARN');
    expect(thrown(() => texts.throwIfAny('INVALID_LINK', 'Bad.')).fix).toEqual({
      action: 'manual',
      text: 'copy the ARN; copy the role ARN',
    });
    const mixed = new IssueList().add('a', 'is bad', 'x').suggestFix({ action: 'list' }).suggestFix('copy the role ARN');
    expect(thrown(() => mixed.throwIfAny('INVALID_LINK', 'Bad.')).fix).toEqual({ action: 'list' });
    expect(new IssueList().suggestFix('').fixes).toEqual([]);
  });

  it('IssueList: relinks of one provider merge into one relink with every flag and hint', () => {
    const relinks = new IssueList()
      .add('arn', 'is bad', 'an ARN')
      .suggestFix({ action: 'relink', provider: 'aws', flags: { arn: 'ARN' }, hint: 'copy the ARN' })
      .add('role-arn', 'is bad', 'a role ARN')
      .suggestFix({ action: 'relink', provider: 'aws', flags: { 'role-arn': 'ROLE_ARN' }, hint: 'copy the role ARN' });
    expect(thrown(() => relinks.throwIfAny('INVALID_LINK', 'Bad.')).fix).toEqual({
      action: 'relink',
      provider: 'aws',
      flags: { arn: 'ARN', 'role-arn': 'ROLE_ARN' },
      hint: 'copy the ARN; copy the role ARN',
    });
    const otherProvider = new IssueList()
      .add('a', 'is bad', 'x')
      .suggestFix({ action: 'relink', provider: 'aws', flags: { arn: 'ARN' } })
      .suggestFix({ action: 'relink', provider: 'azure' });
    expect(thrown(() => otherProvider.throwIfAny('INVALID_LINK', 'Bad.')).fix).toEqual({
      action: 'relink',
      provider: 'aws',
      flags: { arn: 'ARN' },
    });
  });
});
