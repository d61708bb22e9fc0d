/** AES-256-GCM with a fresh random 96-bit nonce per seal; the tag travels after the ciphertext. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GCM_TAG_LENGTH } from './format.js';

export const KEY_LENGTH = 32;
export const NONCE_LENGTH = 12;

export interface Sealed {
  nonce: Buffer;
  /** ciphertext || tag */
  sealed: Buffer;
}

export function newKey(): Buffer {
  return randomBytes(KEY_LENGTH);
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const nonce = randomBytes(NONCE_LENGTH);
  return { nonce, sealed: sealWithNonce(key, nonce, plaintext, aad) };
}

/** For the body, whose nonce must be in the header (the AAD) before it is sealed. */
export function sealWithNonce(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_LENGTH);
}

/** Returns null when authentication fails (wrong key, or altered ciphertext/nonce/AAD). */
export function open(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  if (nonce.length !== NONCE_LENGTH || sealed.length < GCM_TAG_LENGTH) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_LENGTH));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_LENGTH));
  try {
    return Buffer.concat([plaintext, decipher.final()]);
  } catch (error) {
    // final() throws exactly when the tag does not verify; the caller decides what that means.
    if (error instanceof Error && /unable to authenticate/i.test(error.message)) return null;
    throw error;
  }
}
