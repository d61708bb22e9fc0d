/** The last check before sending: a literal {{vault:NAME}} in the URL, an enabled header, the body or the auth. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { literalReferences } from '../src/engine/literal-references.js';

const sdk = createRequire(import.meta.url)('postman-collection') as { Request: new (definition: unknown) => never };

describe('literalReferences', () => {
  it('finds references in the URL, enabled headers, every body mode and the auth', () => {
    const request = new sdk.Request({
      url: 'https://api.example.com/x?k={{vault:in_url}}',
      header: [
        { key: 'X-On', value: 'Bearer {{vault:in_header}}' },
        { key: 'X-Off', value: '{{vault:disabled_header}}', disabled: true },
      ],
      body: {
        mode: 'urlencoded',
        urlencoded: [
          { key: 'a', value: '{{vault:in_form}}' },
          { key: 'b', value: '{{vault:off_form}}', disabled: true },
        ],
      },
      auth: { type: 'apikey', apikey: [{ key: 'value', value: '{{vault:in_auth}}' }] },
    });
    expect(literalReferences(request)).toEqual([
      { name: 'in_url', part: 'URL' },
      { name: 'in_header', part: 'header X-On' },
      { name: 'in_form', part: 'body' },
      { name: 'in_auth', part: 'auth' },
    ]);
  });

  it.each([
    ['raw', { mode: 'raw', raw: 'x={{vault:r}}' }],
    ['formdata', { mode: 'formdata', formdata: [{ key: 'f', value: '{{vault:r}}' }] }],
    ['graphql', { mode: 'graphql', graphql: { query: 'q', variables: '{"t":"{{vault:r}}"}' } }],
  ])('finds a reference in a %s body', (_mode, body) => {
    expect(literalReferences(new sdk.Request({ url: 'https://h/', body }))).toEqual([{ name: 'r', part: 'body' }]);
  });

  it('finds nothing in a request without references', () => {
    expect(literalReferences(new sdk.Request({ url: 'https://h/{{plain}}', header: [{ key: 'X', value: '{{vault' }] }))).toEqual([]);
  });
});
