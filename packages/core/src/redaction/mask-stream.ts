/**
 * A Transform that masks values even when one is split across chunks. It holds back the
 * last `maxLength - 1` characters of what it has seen (a value starting there might still
 * be incomplete) and emits them once more input arrives or the stream ends. Matches that
 * start before the held-back tail are complete, so the output equals masking the whole text.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createMasker, escapeRegExp, type Masker } from './masker.js';

export function createMaskStream(masker: Masker | Iterable<string>): Transform {
  const m = isMasker(masker) ? masker : createMasker(masker);
  const decoder = new StringDecoder('utf8');
  const regex = m.patterns.length > 0 ? new RegExp(m.patterns.map(escapeRegExp).join('|'), 'g') : undefined;
  let carry = '';

  const process = (text: string, final: boolean): string => {
    const buffer = carry + text;
    if (!regex) {
      carry = '';
      return buffer;
    }
    const safeEnd = final ? buffer.length : Math.max(0, buffer.length - (m.maxLength - 1));
    let out = '';
    let last = 0;
    regex.lastIndex = 0;
    for (let match = regex.exec(buffer); match && match.index < safeEnd; match = regex.exec(buffer)) {
      out += buffer.slice(last, match.index) + m.replacement;
      last = match.index + match[0].length;
    }
    const cut = Math.max(last, safeEnd);
    out += buffer.slice(last, cut);
    carry = buffer.slice(cut);
    return out;
  };

  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const out = process(text, false);
      callback(null, out.length > 0 ? out : undefined);
    },
    flush(callback: TransformCallback) {
      const out = process(decoder.end(), true);
      callback(null, out.length > 0 ? out : undefined);
    },
  });
}

function isMasker(value: unknown): value is Masker {
  return typeof value === 'object' && value !== null && 'patterns' in value && typeof (value as Masker).mask === 'function';
}
