/**
 * A Transform that masks values even when one is split across chunks. It holds back the
 * last `maxLength` characters of what it has seen (a value starting there might still be
 * incomplete, or be followed by a word character that makes a short value no whole token),
 * and all of a match that crosses that point, and emits them once more input arrives or the
 * stream ends. It keeps one written character as context for the next whole-token check.
 * The output equals masking the whole text at once.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SecretMasker, type Masker } from './masker.js';

export function createMaskStream(masker: Masker | Iterable<string>): Transform {
  const m: Masker = isMasker(masker) ? masker : new SecretMasker(masker);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  /** Characters at the start of `carry` that were already written (context for whole-token checks). */
  let context = 0;

  const process = (text: string, final: boolean): string => {
    const buffer = carry + text;
    const { out, cut } = m.maskPrefix(buffer, final, context);
    context = cut > 0 ? 1 : 0;
    carry = buffer.slice(cut - context);
    return out;
  };

  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      const out = process(typeof chunk === 'string' ? chunk : decoder.write(chunk), false);
      callback(null, out.length > 0 ? out : undefined);
    },
    flush(callback: TransformCallback) {
      const out = process(decoder.end(), true);
      callback(null, out.length > 0 ? out : undefined);
    },
  });
}

function isMasker(value: unknown): value is Masker {
  return typeof value === 'object' && value !== null && typeof (value as Masker).maskPrefix === 'function';
}
