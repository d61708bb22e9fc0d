/**
 * Whole inputs read as bytes, with a size limit: `resolve FILE|-` and `set --stdin`.
 *
 * Bytes, because `resolve` must pass every byte outside a reference through unchanged, and `set`
 * must see invalid UTF-8 to refuse it instead of storing U+FFFD. A limit, because the input is
 * held in memory: above it the command stops reading and fails with INVALID_INPUT naming the
 * limit, instead of a V8 "Cannot create a string longer than…" crash.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { VaultError } from '@vault/core';

/** The most `resolve` and `set --stdin` read: 64 MiB. Documented in the README. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface InputSource {
  /** Field name for errors: `stdin` or `FILE`. */
  field: string;
  /** What to do instead when the input is over the limit. */
  tooLargeFix: string;
  /** @default MAX_INPUT_BYTES */
  limit?: number;
}

/** Reads a stream to its end, stopping (and destroying it) as soon as it passes the limit. */
export async function readBytes(stream: Readable, source: InputSource): Promise<Buffer> {
  const limit = source.limit ?? MAX_INPUT_BYTES;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += bytes.length;
    if (total > limit) {
      stream.destroy();
      throw inputTooLarge(source, limit);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

/** Reads a file; a regular file over the limit is refused before reading it. */
export async function readFileBytes(path: string, source: InputSource): Promise<Buffer> {
  const limit = source.limit ?? MAX_INPUT_BYTES;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (info.isFile() && info.size > limit) throw inputTooLarge(source, limit);
    return await readBytes(createReadStream(path), source);
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw unreadable(path, source, error);
  }
}

/**
 * The bytes as text, refusing invalid UTF-8 with the offset of the first bad byte: vault values
 * are text (Postman variables are strings), and U+FFFD in place of the bytes would lose data.
 */
export function utf8Text(bytes: Buffer, source: { field: string; fix: string }): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const offset = firstInvalidUtf8(bytes);
  throw new VaultError(
    'INVALID_INPUT',
    `The ${source.field} input is not UTF-8 text (the byte at offset ${offset} is not valid UTF-8); nothing was stored.`,
    {
      issues: [{ field: source.field, problem: `has a byte that is not UTF-8 at offset ${offset}`, expected: 'UTF-8 text' }],
      fix: source.fix,
    },
  );
}

function firstInvalidUtf8(bytes: Buffer): number {
  const decoded = bytes.toString('utf8');
  let byteOffset = 0;
  // Each U+FFFD is either a real one (EF BF BD in the input) or a replaced bad sequence.
  for (let from = 0; ;) {
    const at = decoded.indexOf('\ufffd', from);
    if (at < 0) return byteOffset;
    byteOffset += Buffer.byteLength(decoded.slice(from, at));
    if (!(bytes[byteOffset] === 0xef && bytes[byteOffset + 1] === 0xbf && bytes[byteOffset + 2] === 0xbd)) return byteOffset;
    byteOffset += 3;
    from = at + 1;
  }
}

function inputTooLarge(source: InputSource, limit: number): VaultError {
  const size = `${limit / (1024 * 1024)} MiB`;
  return new VaultError(
    'INVALID_INPUT',
    `The ${source.field} input is larger than ${size}, the most vaultlink reads at once; nothing was read further or written.`,
    {
      issues: [{ field: source.field, problem: `is larger than ${size} (${limit} bytes)`, expected: `at most ${size}` }],
      fix: source.tooLargeFix,
      details: { limitBytes: limit },
    },
  );
}

function unreadable(path: string, source: InputSource, error: unknown): VaultError {
  const code = (error as NodeJS.ErrnoException).code;
  const problem = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
  return new VaultError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT', `Cannot read ${path}: ${code ?? (error as Error).message}.`, {
    issues: [{ field: source.field, problem, expected: 'a readable file' }],
    fix: 'check the path, or pipe the input on stdin with -',
    cause: error,
  });
}
