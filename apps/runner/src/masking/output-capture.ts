/**
 * newman's cli reporter, script `console` output and newman's own warnings are written
 * straight to process.stdout / process.stderr. While a vault run is in progress every
 * write to either stream passes through the masker. Reporters and `console` write whole
 * lines or whole messages per call, so each write is masked on its own.
 *
 * With colour off (`--color off`, NO_COLOR) escape sequences are also removed here: newman
 * turns its own colours off, but the tables it draws with cli-table3 colour themselves.
 */
import { stripVTControlCharacters } from 'node:util';
import type { SecretMasker } from '@vault/core';

type Write = NodeJS.WriteStream['write'];

let depth = 0;
let originals: { stdout: Write; stderr: Write } | undefined;
const maskers = new Set<SecretMasker>();
let plainRuns = 0;

/** Starts masking both streams with `masker`; returns the function that stops it. Nested runs stack. */
export function maskProcessOutput(masker: SecretMasker, options: { plain?: boolean } = {}): () => void {
  maskers.add(masker);
  if (options.plain) plainRuns++;
  if (depth++ === 0) {
    originals = { stdout: process.stdout.write, stderr: process.stderr.write };
    process.stdout.write = maskingWrite(process.stdout, originals.stdout);
    process.stderr.write = maskingWrite(process.stderr, originals.stderr);
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    maskers.delete(masker);
    if (options.plain) plainRuns--;
    if (--depth === 0 && originals) {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
      originals = undefined;
    }
  };
}

/** Masks text with every active run's masker. */
export function maskWithActive(text: string): string {
  let out = text;
  for (const masker of maskers) out = masker.mask(out);
  return out;
}

function maskingWrite(stream: NodeJS.WriteStream, original: Write): Write {
  return function write(this: unknown, chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
    const encoding = typeof encodingOrCallback === 'string' ? (encodingOrCallback as BufferEncoding) : 'utf8';
    const text =
      typeof chunk === 'string'
        ? encoding === 'utf8' || encoding === 'utf-8'
          ? chunk
          : Buffer.from(chunk, encoding).toString('utf8')
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk).toString('utf8')
          : String(chunk);
    const masked = maskWithActive(plainRuns > 0 ? stripVTControlCharacters(text) : text);
    const done = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as ((error?: Error | null) => void) | undefined;
    return original.call(stream, masked, 'utf8', done);
  } as Write;
}
