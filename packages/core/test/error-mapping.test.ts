import { afterEach, describe, expect, it, vi } from 'vitest';
import { toVaultError } from '../src/vault/error-mapping.js';

afterEach(() => vi.unstubAllEnvs());

describe('toVaultError on an unexpected provider error', () => {
  // JSON.parse quotes what it choked on: here a secret document a provider tried to parse.
  const secret = 'sk_live_do-not-print-me-42';
  const parseFailure = (() => {
    try {
      JSON.parse(`{"password": ${secret}}`);
    } catch (error) {
      return error;
    }
    throw new Error('JSON.parse should have failed');
  })();

  it('is INTERNAL, names the provider and the error kind, and withholds the message that quotes the data', () => {
    expect(String((parseFailure as Error).message)).toContain('sk_live'); // the premise: Node quotes the input
    const mapped = toVaultError(parseFailure, 'acme');
    expect(mapped.code).toBe('INTERNAL');
    expect(mapped.message).toContain('acme provider failed unexpectedly (SyntaxError');
    expect(mapped.message).toContain('VAULTLINK_DEBUG=1');
    expect(mapped.message).not.toContain('sk_live');
    expect(JSON.stringify(mapped.toJSON())).not.toContain('sk_live');
  });

  it('keeps a Node error code, which carries no data, e.g. ECONNRESET', () => {
    const reset = Object.assign(new Error(`socket hang up near ${secret}`), { code: 'ECONNRESET' });
    expect(toVaultError(reset, 'acme').message).toContain('Error ECONNRESET');
    expect(toVaultError(reset, 'acme').message).not.toContain(secret);
  });

  it('includes the message only when VAULTLINK_DEBUG=1', () => {
    vi.stubEnv('VAULTLINK_DEBUG', '1');
    expect(toVaultError(parseFailure, 'acme').message).toContain('sk_live');
  });
});
