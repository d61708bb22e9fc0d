import { describe, expect, it } from 'vitest';
import { VaultError } from '@vault/core/provider';
import hashicorp from '../src/index.js';

function issuesOf(fields: Record<string, unknown>): Array<{ field: string; problem: string; expected: string }> {
  try {
    hashicorp.parseLink(fields as never);
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe('INVALID_LINK');
    return (error as VaultError).issues;
  }
  throw new Error('expected INVALID_LINK');
}

describe('parseLink', () => {
  it('normalizes slashes and keeps the optional fields typed', () => {
    expect(hashicorp.parseLink({ engine: '/secret/', path: '/team/api/', key: 'token', version: '3', kvVersion: '2' })).toEqual({
      engine: 'secret',
      path: 'team/api',
      key: 'token',
      version: 3,
      kvVersion: 2,
    });
    expect(hashicorp.parseLink({ engine: 'team/kv', path: 'a b', key: 'k' })).toEqual({ engine: 'team/kv', path: 'a b', key: 'k' });
  });

  it('lists every bad field at once, each with the expected form', () => {
    const issues = issuesOf({ engine: '', path: 'a//b', version: '0', kvVersion: '3' });
    expect(issues.map((i) => i.field).sort()).toEqual(['engine', 'key', 'kv-version', 'path', 'version']);
    for (const issue of issues) expect(issue.expected.length).toBeGreaterThan(3);
  });

  it.each([
    [{ engine: 'sys', path: 'mounts', key: 'k' }, 'engine'],
    [{ engine: 'auth/token', path: 'x', key: 'k' }, 'engine'],
    [{ engine: 'secret', path: '../other', key: 'k' }, 'path'],
    [{ engine: 'secret', path: 'a?version=2', key: 'k' }, 'path'],
    [{ engine: 'secret', path: 'a', key: 'k', version: 'latest' }, 'version'],
    [{ engine: 'secret', path: 'a', key: 'k', version: '-1' }, 'version'],
    [{ engine: 'kv1', path: 'a', key: 'k', version: '2', kvVersion: '1' }, 'version'],
    [{ engine: 'secret', path: 'a', key: '   ' }, 'key'],
  ])('rejects %j naming %s', (fields, field) => {
    expect(issuesOf(fields).map((i) => i.field)).toContain(field);
  });

  it('document key is mount + path + version, so keys of one path share one read', () => {
    const a = hashicorp.parseLink({ engine: 'secret', path: 'app', key: 'user' });
    const b = hashicorp.parseLink({ engine: 'secret', path: 'app', key: 'pass', kvVersion: '2' });
    const pinned = hashicorp.parseLink({ engine: 'secret', path: 'app', key: 'pass', version: '2' });
    expect(hashicorp.documentKey(a)).toBe(hashicorp.documentKey(b));
    expect(hashicorp.documentKey(pinned)).not.toBe(hashicorp.documentKey(a));
  });

  it('summarizes without a network call and warns about API-style paths', () => {
    const link = hashicorp.parseLink({ engine: 'secret', path: 'data/app', key: 'k', version: '2' });
    expect(hashicorp.summarize(link)).toEqual({
      identifier: 'secret/data/app#k',
      version: '2',
      extra: { engine: 'secret', path: 'data/app', key: 'k' },
    });
    expect(hashicorp.linkWarnings!(link)[0]).toContain('--path app');
  });
});
