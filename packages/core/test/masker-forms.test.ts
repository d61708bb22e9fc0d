/**
 * Issue 12 items 1, 3 and 13: the masker works for any value size without a giant regular
 * expression, masks hex and base64 (also inside a longer encoded text), and leaves structure
 * alone: JSON keys and XML/HTML names are masked only by values of the minimum length or more.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMasker, SecretMasker } from '../src/index.js';

const SIZES: Array<[string, number]> = [
  ['1 byte', 1],
  ['5 bytes', 5],
  ['6 bytes', 6],
  ['24 KiB (the crash repro)', 24_576],
  ['1 MiB', 1_048_576],
  ['10 MiB', 10_485_760],
];

/** A printable value of exactly `size` characters. */
function valueOf(size: number): string {
  return randomBytes(Math.ceil((size * 3) / 4) + 3)
    .toString('base64')
    .slice(0, size);
}

describe('masking any value size', () => {
  it.each(SIZES)(
    'masks a %s value as written and encoded, beside a small one, without throwing',
    (_label, size) => {
      const big = valueOf(size);
      const small = 'sm4ll-secret';
      const masker = new SecretMasker([big, small]);
      const text = `head ${big} mid ${small} b64 ${Buffer.from(big).toString('base64')} hex ${Buffer.from(big).toString('hex')} tail`;
      const masked = masker.mask(text);
      expect(masked.startsWith('head ')).toBe(true);
      expect(masked.endsWith(' tail')).toBe(true);
      expect(masked).toContain(' mid ******** ');
      if (size >= 6) {
        expect(masked.includes(big)).toBe(false);
        expect(masked).toBe('head ******** mid ******** b64 ******** hex ******** tail');
      } else {
        // Short: masked where it stands alone, never inside other words. The words around it are
        // longer than any short value, so a random value can never equal one of them.
        expect(masker.mask(`before ${big} behind`)).toBe('before ******** behind');
      }
      expect(masker.contains(masked)).toBe(false);
    },
    120_000,
  );

  it('never puts a value into an error, whatever the value holds', () => {
    const hostile = ['(', '[', '\\', '*'.repeat(70_000), '\u0000', '\ud800', '$&', `${'a'.repeat(300_000)})`];
    expect(() => new SecretMasker(hostile).mask(`x ${hostile.join(' ')} y`)).not.toThrow();
  });
});

describe('encoded forms', () => {
  const value = 'hex-me-5ecr3t!';
  const masker = createMasker([value]);

  it.each([
    ['hex, lower case', Buffer.from(value).toString('hex')],
    ['hex, upper case', Buffer.from(value).toString('hex').toUpperCase()],
    ['base64', Buffer.from(value).toString('base64')],
    ['base64url', Buffer.from(value).toString('base64url')],
    ['base64 of "user:" + value (HTTP Basic)', Buffer.from(`user:${value}`).toString('base64')],
    ['base64 of "x" + value + "y"', Buffer.from(`x${value}y`).toString('base64')],
    ['base64 of "xy" + value', Buffer.from(`xy${value}`).toString('base64')],
  ])('masks the value as %s', (_label, form) => {
    const masked = masker.mask(`before ${form} after`);
    expect(masked).toContain('********');
    for (const text of [masked, Buffer.from(masked.replace(/\*+/g, ''), 'base64').toString('latin1')])
      expect(text.includes(value)).toBe(false);
    expect(masked.startsWith('before ')).toBe(true);
  });
});

describe('structure is not data', () => {
  const masker = createMasker(['a', 'the', 'long-enough-value']);

  it('JSON keys: never masked by a short value, masked by a long one', () => {
    expect(masker.maskJson({ name: 'a', the: 'the end', nested: { a: ['x a y'] }, 'long-enough-value': 1 })).toEqual({
      name: '********',
      the: '******** end',
      nested: { a: ['x ******** y'] },
      '********': 1,
    });
  });

  it('XML: element and attribute names stay; text, attribute values, CDATA and comments are masked', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="a"><testsuite name="the suite" tests="1">' +
      '<testcase name="call a" classname="newman"><failure type="AssertionFailure"><![CDATA[the a long-enough-value]]></failure>' +
      '<!-- a --><system-out>a &amp; the</system-out></testcase></testsuite></testsuites>';
    expect(masker.maskMarkup(xml)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="********"><testsuite name="******** suite" tests="1">' +
        '<testcase name="call ********" classname="newman"><failure type="AssertionFailure"><![CDATA[******** ******** ********]]></failure>' +
        '<!-- ******** --><system-out>******** &amp; ********</system-out></testcase></testsuite></testsuites>',
    );
  });

  it('XML: a match that cuts into a character reference covers all of it', () => {
    expect(createMasker(['amp']).maskMarkup('<x>a &amp; b</x>')).toBe('<x>a ******** b</x>');
    expect(createMasker(['q&uot']).maskMarkup('<x y="&quot;"/>')).toBe('<x y="&quot;"/>');
  });

  it('HTML: script content is text, a bare < is text, and an unclosed tag is masked as data', () => {
    expect(masker.maskMarkup('<p>a < b</p><script>if (x<the) {}</script>')).toBe('<p>******** < b</p><script>if (x<********) {}</script>');
    expect(masker.maskMarkup('<p title="a')).toBe('<p title="********');
  });
});
