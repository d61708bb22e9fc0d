import { describe, expect, it } from 'vitest';
import {
  detectPostmanDocument,
  findReferencesInCollection,
  findReferencesInEnvironment,
  findReferencesInJson,
  findReferencesInPostmanFile,
  referenceNames,
  type VaultError,
} from '../src/index.js';

const collection = {
  info: { name: 'Payments', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{vault:collection-token}}', type: 'string' }] },
  variable: [{ key: 'base', value: 'https://{{vault:host}}' }],
  event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: ['const k = "{{vault:in-script}}";', 'pm.vault.get("x")'] } }],
  item: [
    {
      name: 'folder',
      item: [
        {
          name: 'charge',
          request: {
            method: 'POST',
            header: [
              { key: 'X-Api-Key', value: '{{vault:api key}}' },
              { key: 'X-Old', value: '{{vault:old}}', disabled: true },
              { key: '{{vault:header-name}}', value: 'v' },
            ],
            url: {
              raw: 'https://api.example.com/{{vault:path-part}}?q={{vault:query}}',
              host: ['api', 'example', 'com'],
              path: ['{{vault:path-part}}'],
              query: [{ key: 'q', value: '{{vault:query}}' }],
              variable: [{ key: 'id', value: '{{vault:path-var}}' }],
            },
            body: { mode: 'urlencoded', urlencoded: [{ key: 'secret', value: '{{vault:form}}' }] },
            auth: { type: 'basic', basic: [{ key: 'password', value: '{{vault:basic-pass}}' }] },
            description: 'uses {{vault:described}}',
          },
          response: [{ name: 'example', originalRequest: { url: 'https://x/{{vault:example-only}}' }, body: '' }],
        },
      ],
    },
    { name: 'short', request: 'https://{{vault:string-request}}/x' },
    {
      name: 'graphql',
      request: { url: 'https://g', body: { mode: 'graphql', graphql: { query: 'q', variables: '{"t":"{{vault:gql}}"}' } } },
    },
    { name: 'raw', request: { url: 'https://r', body: { mode: 'raw', raw: '{"a":"{{vault:raw-body}}"}' } } },
  ],
};

describe('findReferencesInCollection', () => {
  const result = findReferencesInCollection(collection);
  const contextOf = (name: string) => [...new Set(result.references.filter((r) => r.name === name).map((r) => r.context))];

  it('finds references in every variable-bearing part of a v2.1 collection', () => {
    expect(referenceNames(result.references).sort()).toEqual(
      [
        'api key',
        'basic-pass',
        'collection-token',
        'described',
        'example-only',
        'form',
        'gql',
        'header-name',
        'host',
        'in-script',
        'old',
        'path-part',
        'path-var',
        'query',
        'raw-body',
        'string-request',
      ].sort(),
    );
  });

  it('labels where each reference sits', () => {
    expect(contextOf('api key')).toEqual(['header']);
    expect(contextOf('header-name')).toEqual(['header']);
    expect(contextOf('query').sort()).toEqual(['query', 'url']);
    expect(contextOf('path-var')).toEqual(['path-variable']);
    expect(contextOf('form')).toEqual(['body']);
    expect(contextOf('gql')).toEqual(['body']);
    expect(contextOf('raw-body')).toEqual(['body']);
    expect(contextOf('basic-pass')).toEqual(['auth']);
    expect(contextOf('collection-token')).toEqual(['auth']);
    expect(contextOf('host')).toEqual(['variable']);
    expect(contextOf('in-script')).toEqual(['script']);
    expect(contextOf('example-only')).toEqual(['example']);
    expect(contextOf('described')).toEqual(['description']);
    expect(contextOf('string-request')).toEqual(['url']);
  });

  it('marks script references and disabled entries, and gives JSON paths', () => {
    const script = result.references.find((r) => r.name === 'in-script')!;
    expect(script.inScript).toBe(true);
    expect(script.path).toBe('$.event[0].script.exec[0]');
    expect(result.references.find((r) => r.name === 'old')!.disabled).toBe(true);
    expect(result.references.find((r) => r.name === 'api key')!.disabled).toBe(false);
    expect(result.references.find((r) => r.name === 'header-name')!.path).toBe('$.item[0].item[0].request.header[2].key');
  });

  it('throws INVALID_REFERENCE with the JSON path for malformed references outside scripts', () => {
    const bad = { info: { name: 'x' }, item: [{ request: { url: 'https://x/{{vault:}}' } }] };
    try {
      findReferencesInCollection(bad);
      expect.unreachable();
    } catch (error) {
      expect((error as VaultError).code).toBe('INVALID_REFERENCE');
      expect((error as VaultError).issues[0]!.field).toContain('$.item[0].request.url');
    }
  });

  it('tolerates script text that builds "{{vault:" strings, and can collect problems instead of throwing', () => {
    const scripted = {
      info: { name: 'x' },
      item: [],
      event: [{ listen: 'test', script: { exec: ['const t = "{{vault:" + name + "}}";', "x('{{vault:')"] } }],
    };
    expect(() => findReferencesInCollection(scripted)).not.toThrow();
    const collected = findReferencesInCollection({ info: {}, item: [{ request: { url: '{{vault:}}' } }] }, { problems: 'collect' });
    expect(collected.problems).toHaveLength(1);
  });

  it('rejects a non-object', () => {
    expect(() => findReferencesInCollection('nope')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('environment, globals and plain JSON', () => {
  const environment = {
    name: 'dev',
    values: [
      { key: 'token', value: '{{vault:env-token}}', enabled: true },
      { key: 'off', value: '{{vault:env-off}}', enabled: false },
    ],
    _postman_variable_scope: 'environment',
  };

  it('finds references in environment values and marks disabled ones', () => {
    const found = findReferencesInEnvironment(environment).references;
    expect(found.map((r) => [r.name, r.context, r.disabled])).toEqual([
      ['env-token', 'variable', false],
      ['env-off', 'variable', true],
    ]);
  });

  it('detects document kinds', () => {
    expect(detectPostmanDocument(collection)).toBe('collection');
    expect(detectPostmanDocument(environment)).toBe('environment');
    expect(detectPostmanDocument({ values: [], _postman_variable_scope: 'globals' })).toBe('globals');
    expect(detectPostmanDocument([1])).toBeUndefined();
    expect(
      findReferencesInPostmanFile({ values: [{ key: 'g', value: '{{vault:glob}}' }], _postman_variable_scope: 'globals' }),
    ).toMatchObject({ kind: 'globals' });
  });

  it('walks any JSON value, keys included', () => {
    const found = findReferencesInJson({ a: ['{{vault:x}}', { '{{vault:y}}': 1, 'weird key': '{{vault:z}}' }] }).references;
    expect(found.map((r) => [r.name, r.path])).toEqual([
      ['x', '$.a[0]'],
      ['y', '$.a[1]["{{vault:y}}"]'],
      ['z', '$.a[1]["weird key"]'],
    ]);
  });
});
