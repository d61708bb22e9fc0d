import fc from 'fast-check';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { createMasker, createMaskStream, MIN_SUBSTRING_LENGTH } from '../src/index.js';

async function streamMask(values: string[], chunks: Array<string | Buffer>): Promise<string> {
  return text(Readable.from(chunks, { objectMode: false }).pipe(createMaskStream(values)));
}

describe('createMasker', () => {
  it('masks every value, longest first', () => {
    const masker = createMasker(['abc', 'abcdef']);
    expect(masker.mask('x abcdef y abc z')).toBe('x ******** y ******** z');
  });

  it('masks JSON-escaped, percent-encoded and form-encoded forms', () => {
    const value = 'p@ss "w/ord"\\ 1&2';
    const masker = createMasker([value], '[hidden]');
    expect(masker.mask(JSON.stringify({ v: value }))).toBe('{"v":"[hidden]"}');
    expect(masker.mask(`https://x/?q=${encodeURIComponent(value)}`)).toBe('https://x/?q=[hidden]');
    expect(masker.mask(new URLSearchParams({ q: value }).toString())).toBe('q=[hidden]');
  });

  it(`masks values shorter than ${MIN_SUBSTRING_LENGTH} characters only as whole tokens`, () => {
    expect(createMasker(['x']).mask('axb')).toBe('axb');
    expect(createMasker(['x']).mask('a x b "x" x')).toBe('a ******** b "********" ********');
    expect(createMasker(['a', 'the']).mask('newman ran the tests')).toBe('newman ran ******** tests');
    expect(createMasker(['abcdef']).mask('xxabcdefxx')).toBe('xx********xx');
    expect(createMasker(['']).mask('abc')).toBe('abc');
  });

  it('treats regex characters literally', () => {
    expect(createMasker(['a.c', '(x|y)*']).mask('abc a.c (x|y)* x')).toBe('abc ******** ******** x');
  });

  it('leaves no value behind in arbitrary text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: MIN_SUBSTRING_LENGTH, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.string({ maxLength: 10 })),
        (values, fillers) => {
          const input = fillers.map((f, i) => f + values[i % values.length]).join('') + values.join('|');
          const out = createMasker(values, '\u0000').mask(input);
          // Every value was masked where it stood; what is left can only rebuild one across a mask boundary.
          for (const value of values) expect(out.split('\u0000').some((part) => part.includes(value))).toBe(false);
        },
      ),
    );
  });
});

describe('createMaskStream', () => {
  it('masks a value split across chunks', async () => {
    expect(await streamMask(['supersecret'], ['token=super', 'sec', 'ret; done'])).toBe('token=********; done');
  });

  it('masks a value split inside a multi-byte character', async () => {
    const value = 'clé-ü-secret';
    const bytes = Buffer.from(`a ${value} b`);
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 9), bytes.subarray(9)];
    expect(await streamMask([value], chunks)).toBe('a ******** b');
  });

  it('masks a short value right after an already-written one, wherever the chunks split (found by the property below)', async () => {
    // A 1-character secret `"`: in `aa""%` only the second quote is a whole token. The written
    // first quote, kept as context, once looked like a token too and swallowed the second.
    const input = 'aaaaaaaaaa""%aaaaaaaaaa';
    const whole = createMasker(['"']).mask(input);
    expect(whole).toBe('aaaaaaaaaa"********%aaaaaaaaaa');
    for (let cut = 1; cut < input.length; cut++) {
      expect(await streamMask(['"'], [input.slice(0, cut), input.slice(cut)])).toBe(whole);
    }
  });

  it('equals masking the whole text, for any chunking (property)', async () => {
    const value = fc.string({ minLength: 1, maxLength: 10, unit: fc.constantFrom('a', 'b', 'c', 'é', '"', '%') });
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(value, fc.string({ maxLength: 6 })), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (values, parts, cuts) => {
          const input = parts.join('');
          const bytes = Buffer.from(input);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let last = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(last, p));
            last = p;
          }
          expect(
            await streamMask(
              values,
              chunks.filter((c) => c.length > 0),
            ),
          ).toBe(createMasker(values).mask(input));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('passes text through untouched when there are no values', async () => {
    expect(await streamMask([], ['a', 'b'])).toBe('ab');
  });
});
