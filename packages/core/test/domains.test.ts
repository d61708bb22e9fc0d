import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isUrlAllowed, normalizeDomains, type VaultError } from '../src/index.js';
import { parseDomainPattern } from '../src/domains.js';

// postman-collection is what postman-runtime 7.56.1 matches `_domains` with; we compare against it.
const require = createRequire(import.meta.url);
const { Url, UrlMatchPatternList } = require('postman-collection') as {
  Url: new (s: string) => { protocol?: string; getRemote(): string };
  UrlMatchPatternList: new (parent: null, patterns: string[]) => { test(url: string): boolean };
};

/** postman-runtime's prepareVaultVariableScope, restated: `${protocol || 'https'}://${remote}:*\/*`. */
function postmanAllows(url: string, domains: string[]): boolean {
  if (domains.length === 0) return true; // the runtime skips variables without _domains
  const list = new UrlMatchPatternList(
    null,
    domains.map((d) => {
      const u = new Url(d);
      return `${u.protocol || 'https'}://${u.getRemote()}:*/*`;
    }),
  );
  return list.test(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`);
}

describe('allowed domains (Postman _domains semantics)', () => {
  it.each([
    ['https://api.example.com/v1', ['api.example.com'], true],
    ['http://api.example.com/v1', ['api.example.com'], false], // no scheme = https only
    ['http://api.example.com', ['http://api.example.com'], true],
    ['https://api.example.com:8443/x', ['api.example.com'], true], // any port
    ['https://a.b.example.com', ['*.example.com'], true],
    ['https://example.com', ['*.example.com'], true],
    ['https://badexample.com', ['*.example.com'], false],
    ['https://example.com.evil.io', ['example.com'], false],
    ['https://anything.io', ['*'], true],
    ['http://127.0.0.1:5555/x', ['http://127.0.0.1'], true],
    ['https://other.com', ['api.example.com', 'other.com'], true],
    ['https://other.com', [], true], // no restriction
  ])('%s with %j → %s', (url, domains, allowed) => {
    expect(isUrlAllowed(url, domains)).toBe(allowed);
    expect(postmanAllows(url, domains)).toBe(allowed);
  });

  it('treats a URL without scheme as http, as the runtime does', () => {
    expect(isUrlAllowed('api.example.com/x', ['http://api.example.com'])).toBe(true);
    expect(isUrlAllowed('api.example.com/x', ['api.example.com'])).toBe(false);
  });

  it('does not match URLs that are not URLs', () => {
    expect(isUrlAllowed('{{host}}/path', ['api.example.com'])).toBe(false);
  });

  it('agrees with postman-collection on generated hosts and patterns (property)', () => {
    const label = fc.constantFrom('api', 'example', 'com', 'io', 'a', 'b-c');
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
    const scheme = fc.constantFrom('', 'http://', 'https://');
    const pattern = fc.tuple(scheme, fc.boolean(), host).map(([s, wild, h]) => `${s}${wild ? '*.' : ''}${h}`);
    const url = fc
      .tuple(
        fc.constantFrom('http://', 'https://'),
        host,
        fc.option(fc.integer({ min: 1, max: 65535 })),
        fc.constantFrom('', '/', '/p?q=1'),
      )
      .map(([s, h, port, path]) => `${s}${h}${port ? `:${port}` : ''}${path}`);
    fc.assert(
      fc.property(url, fc.array(pattern, { minLength: 1, maxLength: 3 }), (u, patterns) => {
        expect(isUrlAllowed(u, patterns)).toBe(postmanAllows(u, patterns));
      }),
      { numRuns: 500 },
    );
  });

  it('normalizes and de-duplicates patterns', () => {
    expect(normalizeDomains(['API.Example.com', 'api.example.com/', 'HTTPS://x.io', '*.Y.io'])).toEqual([
      'api.example.com',
      'https://x.io',
      '*.y.io',
    ]);
  });

  it('rejects ports, paths, bad schemes and bad hosts with INVALID_INPUT naming each entry', () => {
    try {
      normalizeDomains(['api.example.com:8443', 'example.com/v1', 'ftp://x.io', 'exa mple.com', 'a.*.com', '']);
      expect.unreachable();
    } catch (error) {
      const e = error as VaultError;
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.issues.map((i) => i.field)).toEqual([
        'domain[0] ("api.example.com:8443")',
        'domain[1] ("example.com/v1")',
        'domain[2] ("ftp://x.io")',
        'domain[3] ("exa mple.com")',
        'domain[4] ("a.*.com")',
        'domain[5] ("")',
      ]);
      expect(e.issues[0]!.problem).toContain('port');
      expect(e.issues[1]!.problem).toContain('path');
      expect(e.issues.every((i) => i.expected.includes('*.example.com'))).toBe(true);
    }
  });

  it('accepts international names in punycode form', () => {
    const parsed = parseDomainPattern('bücher.example');
    expect(parsed.ok && parsed.pattern.host).toBe('xn--bcher-kva.example');
    expect(isUrlAllowed('https://bücher.example/x', ['bücher.example'])).toBe(true);
  });
});
