/**
 * VAULTLINK_KEY: the vault's data key itself, base64, for CI jobs that cannot afford the
 * passphrase KDF on every command. Whoever holds it and the file can read the vault, with no
 * brute-force cost at all, and changing the passphrase does not change it: treat it like the
 * vault's contents (see the CLI README, "VAULTLINK_KEY").
 */
import { VaultError } from '../errors.js';
import { KEY_LENGTH } from './aead.js';
import type { EnvLike } from './paths.js';

export const DATA_KEY_ENV = 'VAULTLINK_KEY';

/** The data key from VAULTLINK_KEY, or undefined when it is not set. */
export function suppliedDataKey(env: EnvLike): Buffer | undefined {
  const raw = env[DATA_KEY_ENV]?.trim();
  if (!raw) return undefined;
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_LENGTH) {
    throw new VaultError('INVALID_CONFIG', 'VAULTLINK_KEY is not a vault key.', {
      issues: [
        {
          field: DATA_KEY_ENV,
          problem: `is not the base64 form of ${KEY_LENGTH} bytes`,
          expected: 'the output of `vaultlink key export` (44 base64 characters)',
        },
      ],
      fix: 'set VAULTLINK_KEY to the output of `vaultlink key export`, or unset it',
    });
  }
  return key;
}
