/** The run's masker: the forms values take in reports, and values added during the run. */
import { describe, expect, it } from 'vitest';
import { createRunMasker } from '../src/masking/run-masker.js';
import { streamMessages } from '../src/messages.js';
import { captureStream } from './helpers/capture-stream.js';

describe('the run masker (core SecretMasker + postman-runtime URL forms)', () => {
  const value = `tok&<"en">'42`;
  const masker = createRunMasker();
  masker.add([value]);

  it.each([
    ['as written', value],
    ['JSON-escaped', JSON.stringify(value)],
    ['percent-encoded', encodeURIComponent(value)],
    [
      'XML-escaped (junit)',
      value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
    ],
    ['single-quoted as chai prints it', `expected '${value.replace(/'/g, "\\'")}' to equal 'x'`],
    ['base64', Buffer.from(value).toString('base64')],
    // postman-runtime leaves & and @ as they are in a query: not what encodeURIComponent gives.
    ['percent-encoded in a URL query as postman-runtime sends it', `/echo?t=tok&%3C%22en%22%3E%2742`],
    ['percent-encoded in a URL path as postman-runtime sends it', `/items/tok&%3C%22en%22%3E'42/`],
    ['HTML-escaped by Handlebars (htmlextra)', 'tok&amp;&lt;&quot;en&quot;&gt;&#x27;42'],
    ['in a query, HTML-escaped by Handlebars (htmlextra)', 'href="/echo?t&#x3D;tok&amp;%3C%22en%22%3E%2742"'],
    ['inside HTTP Basic credentials', `Authorization: Basic ${Buffer.from(`user:${value}`).toString('base64')}`],
  ])('masks the value %s', (_label, text) => {
    const masked = masker.mask(`before ${text} after`);
    expect(masked).toContain('********');
    expect(masker.contains(masked)).toBe(false);
    expect(masked.startsWith('before ')).toBe(true);
  });

  it('masks a value with = and ` in the form Handlebars escapes it', () => {
    const withEquals = createRunMasker();
    withEquals.add(['dG9rZW4=`x']);
    expect(withEquals.mask('<td>dG9rZW4&#x3D;&#x60;x</td>')).toBe('<td>********</td>');
  });

  it('leaves Basic credentials without a value alone, and masks values added later', () => {
    const other = `Basic ${Buffer.from('user:not-secret').toString('base64')}`;
    expect(masker.mask(other)).toBe(other);
    masker.add(['added-during-the-run']);
    expect(masker.mask('x added-during-the-run y')).toBe('x ******** y');
  });

  it("masks response bodies held as serialized Buffers (newman's json report and summary), leaving other bytes alone", () => {
    const body = JSON.parse(JSON.stringify({ stream: Buffer.from(`{"echo":"${value}"}`) })) as { stream: { type: string; data: number[] } };
    const binary = JSON.parse(JSON.stringify(Buffer.from([0xff, 0x00, 0xfe]))) as { type: string; data: number[] };

    const masked = masker.maskJson({ response: body, image: binary });

    expect(Buffer.from(masked.response.stream.data).toString('utf8')).toBe('{"echo":"********"}');
    expect(masked.image).toEqual(binary);
  });

  it('masks keys and values of JSON documents without changing their shape', () => {
    expect(masker.maskJson({ [value]: [value, 1, null, { nested: `a ${value}` }] })).toEqual({
      '********': ['********', 1, null, { nested: 'a ********' }],
    });
  });
});

describe('progress line', () => {
  it('is drawn on a TTY and cleared afterwards', () => {
    const tty = captureStream(true);
    const messages = streamMessages(tty);
    messages.progress(3, 50);
    messages.endProgress();
    expect(tty.text()).toBe('\r\x1b[Kvaultlink: resolving vault secrets 3/50\r\x1b[K');
  });

  it('is never drawn when stderr is not a TTY (CI logs)', () => {
    const pipe = captureStream(false);
    const messages = streamMessages(pipe);
    messages.progress(3, 50);
    messages.endProgress();
    messages.warn('visible');
    expect(pipe.text()).toBe('vaultlink: warning: visible\n');
  });
});
