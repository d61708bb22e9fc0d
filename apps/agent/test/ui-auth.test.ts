/** One-time tokens and sessions over time (a clock the test moves), and forms read as the CLI reads flags. */
import { describe, expect, it } from 'vitest';
import { SESSION_IDLE_MS, TOKEN_TTL_MS, UiAuth } from '../src/http/auth.js';
import { formToFields } from '../src/http/form-fields.js';

describe('UiAuth', () => {
  it('a token expires after its time, used or not; a session ends after its idle time and not before', () => {
    let now = 1_000_000;
    const auth = new UiAuth(() => now);
    const late = auth.mintToken();
    now += TOKEN_TTL_MS + 1;
    expect(auth.exchange(late.token)).toBeUndefined();
    const fresh = auth.mintToken();
    const sessionId = auth.exchange(fresh.token)!;
    expect(auth.exchange(fresh.token)).toBeUndefined();
    now += SESSION_IDLE_MS - 1;
    expect(auth.session(sessionId)).toBeDefined(); // use refreshes it
    now += SESSION_IDLE_MS - 1;
    expect(auth.session(sessionId)?.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    now += SESSION_IDLE_MS + 1;
    expect(auth.session(sessionId)).toBeUndefined();
    expect(auth.session('made-up')).toBeUndefined();
  });
});

describe('formToFields', () => {
  const specs = [
    { name: 'item', description: 'Item', type: 'string' as const },
    { name: 'mode', description: 'Mode', type: 'string' as const, choices: ['plain', 'upper'] },
    { name: 'tag', description: 'Tags', type: 'list' as const },
    { name: 'strict', description: 'Strict', type: 'boolean' as const },
    { name: 'region', description: 'Region', type: 'string' as const, env: 'FIXTURE_REGION' },
  ];

  it('reads text, lists, switches and the environment fallback the way the CLI reads the same flags', () => {
    expect(formToFields(specs, { item: ' a ', tag: 'x\ny, z', strict: true, mode: '' }, { FIXTURE_REGION: 'eu' })).toEqual({
      item: 'a',
      tag: ['x', 'y', 'z'],
      strict: true,
      region: 'eu',
    });
    expect(formToFields(specs, { item: 'a', region: 'us', strict: false }, { FIXTURE_REGION: 'eu' })).toEqual({ item: 'a', region: 'us' });
  });

  it('reports every bad field at once, named as the flag', () => {
    let error: { code?: string; issues?: Array<{ field: string }> } = {};
    try {
      formToFields(specs, { mode: 'loud', strict: 'maybe', planted: 'x' }, {});
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues!.map((i) => i.field).sort()).toEqual(['mode', 'planted', 'strict']);
  });
});
