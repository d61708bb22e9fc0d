/**
 * References in bytes, for input that need not be UTF-8 text (`vaultlink resolve` on any file).
 *
 * The delimiters `{{vault:` and `}}` are ASCII, so the bytes are scanned as latin1 (one char per
 * byte) and every byte outside a reference is copied through unchanged: binary input comes out
 * byte-identical except for the references. A name is read as UTF-8, strictly; a name whose bytes
 * are not UTF-8 is a malformed reference. Offsets are byte offsets; columns count characters.
 */
import { isUtf8 } from 'node:buffer';
import { invalidReferenceError } from './parse.js';
import { scanSource, type ReferenceScan, type ScanStats, type VaultReference } from './scanner.js';

/** Every reference and every malformed one in `bytes`; never throws. Linear in the input size. */
export function scanReferencesInBytes(bytes: Uint8Array, stats?: ScanStats): ReferenceScan {
  const buffer = asBuffer(bytes);
  return scanSource(
    {
      text: buffer.toString('latin1'),
      name: (start, end) => {
        const name = buffer.subarray(start, end);
        return isUtf8(name) ? { name: name.toString('utf8') } : { problem: 'name is not valid UTF-8' };
      },
      columns: 'utf8',
    },
    stats,
  );
}

/** Every reference in `bytes`. Throws INVALID_REFERENCE listing each malformed one. */
export function findReferencesInBytes(bytes: Uint8Array, where?: string): VaultReference[] {
  const scan = scanReferencesInBytes(bytes);
  if (scan.problems.length > 0) throw invalidReferenceError(scan.problems, where);
  return scan.references;
}

/**
 * Replaces each reference with the UTF-8 bytes of what `resolver` returns for it; `undefined`
 * leaves the token as it was. All other bytes pass through unchanged. Throws INVALID_REFERENCE
 * on malformed references.
 */
export function replaceReferencesInBytes(bytes: Uint8Array, resolver: (reference: VaultReference) => string | undefined): Buffer {
  const buffer = asBuffer(bytes);
  const references = findReferencesInBytes(buffer);
  if (references.length === 0) return buffer;
  const parts: Buffer[] = [];
  let last = 0;
  for (const reference of references) {
    const value = resolver(reference);
    parts.push(buffer.subarray(last, reference.start));
    parts.push(value === undefined ? buffer.subarray(reference.start, reference.end) : Buffer.from(value, 'utf8'));
    last = reference.end;
  }
  parts.push(buffer.subarray(last));
  return Buffer.concat(parts);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
