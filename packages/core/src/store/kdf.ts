/**
 * Passphrase → key-encryption key, with scrypt from node:crypto.
 * Default cost N=2^17, r=8, p=1 (128 MiB, ~0.4 s): OWASP's scrypt floor is N=2^17 for r=8.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { KEY_LENGTH } from './aead.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
export const SALT_LENGTH = 16;

/** Bounds for parameters read from a file: wide enough for any real setting, narrow enough
 * that a damaged header cannot make us allocate gigabytes. */
const MIN_LOG2_N = 10;
const MAX_LOG2_N = 22;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 1024 * 1024 * 1024;

export function newSalt(): Buffer {
  return randomBytes(SALT_LENGTH);
}

/** Returns a problem description, or null when the parameters are usable. */
export function scryptParamsProblem(params: ScryptParams): string | null {
  const { N, r, p } = params;
  const log2N = Math.log2(N);
  if (!Number.isInteger(log2N) || log2N < MIN_LOG2_N || log2N > MAX_LOG2_N) {
    return `scrypt N must be a power of two from 2^${MIN_LOG2_N} to 2^${MAX_LOG2_N} (got ${N})`;
  }
  if (!Number.isInteger(r) || r < 1 || r > MAX_R) return `scrypt r must be an integer from 1 to ${MAX_R} (got ${r})`;
  if (!Number.isInteger(p) || p < 1 || p > MAX_P) return `scrypt p must be an integer from 1 to ${MAX_P} (got ${p})`;
  if (memoryOf(params) > MAX_MEMORY) return `scrypt N*r needs more than ${MAX_MEMORY / 2 ** 20} MiB`;
  return null;
}

/** NFC-normalised so the same passphrase typed on macOS and Linux derives the same key. */
export async function deriveKek(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const problem = scryptParamsProblem(params);
  if (problem) throw new RangeError(problem);
  const { N, r, p } = params;
  return new Promise((resolve, reject) => {
    // maxmem: node's default (32 MiB) is below what N=2^17, r=8 needs (128 MiB).
    scrypt(passphrase.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: memoryOf(params) + 32 * 2 ** 20 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function memoryOf({ N, r, p }: ScryptParams): number {
  // scrypt's working set: 128*N*r for V plus 128*r*p for B.
  return 128 * N * r + 128 * r * p;
}
