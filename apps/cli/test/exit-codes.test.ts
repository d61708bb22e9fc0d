/**
 * The CLI's exit codes come from the error code, with one rule for lists of unresolved
 * references (`resolve`): when every one failed because its vault was unavailable, the command
 * exits 5 like the unavailability itself; any other cause among them keeps exit 4.
 * (End to end against a frozen OpenBao: test/integration/frozen-peer.int.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { VaultError } from '@vault/core';
import { exitCodeOf } from '../src/errors.js';

const unresolved = (...codes: unknown[]) =>
  new VaultError('UNRESOLVED', `${codes.length} reference(s) could not be resolved`, {
    details: { unresolved: codes.map((code, i) => ({ name: `n${i}`, reason: 'unavailable', code, message: 'm' })) },
  });

describe('exitCodeOf', () => {
  it('maps each error code to its exit code', () => {
    expect(exitCodeOf(new VaultError('INVALID_LINK', 'x'))).toBe(2);
    expect(exitCodeOf(new VaultError('REAUTH_REQUIRED', 'x'))).toBe(3);
    expect(exitCodeOf(new VaultError('UNRESOLVED', 'x'))).toBe(4);
    expect(exitCodeOf(new VaultError('PROVIDER_UNAVAILABLE', 'x'))).toBe(5);
    expect(exitCodeOf(new VaultError('VAULT_CORRUPT', 'x'))).toBe(1);
  });

  it('exits 5 when every unresolved reference failed because its vault was unavailable', () => {
    expect(exitCodeOf(unresolved('PROVIDER_UNAVAILABLE'))).toBe(5);
    expect(exitCodeOf(unresolved('PROVIDER_UNAVAILABLE', 'TIMEOUT', 'THROTTLED'))).toBe(5);
  });

  it('keeps exit 4 for other or mixed causes, an empty list, or entries without a known code', () => {
    expect(exitCodeOf(unresolved('PROVIDER_UNAVAILABLE', 'UNRESOLVED'))).toBe(4);
    expect(exitCodeOf(unresolved('PROVIDER_UNAVAILABLE', 'ACCESS_DENIED'))).toBe(4);
    expect(exitCodeOf(unresolved('NOT_FOUND'))).toBe(4);
    expect(exitCodeOf(unresolved())).toBe(4);
    expect(exitCodeOf(unresolved('PROVIDER_UNAVAILABLE', undefined))).toBe(4);
    expect(exitCodeOf(unresolved('PROVIDER_UNAVAILABLE', 'NOT_A_CODE'))).toBe(4);
  });

  it('applies the rule to UNRESOLVED only', () => {
    const other = new VaultError('INVALID_INPUT', 'x', { details: { unresolved: [{ code: 'PROVIDER_UNAVAILABLE' }] } });
    expect(exitCodeOf(other)).toBe(2);
  });
});
