import { describe, expect, it } from 'vitest';
import { VaultError } from '../src/index.js';
import { jsonPointerProblem, readLinks } from '../src/provider.js';
import { createMemoryProvider } from '../src/testing.js';
import { setup, testIO } from './helpers.js';

const CONFIG = {
  db: { primary: { password: 'pw-primary-7781', port: 5432 }, replica: { password: 'pw-replica-7782' } },
  'a/b': { '~tilde': 'escaped-7783' },
  hosts: ['h-one-7784', 'h-two-7785'],
};
const VALUES = ['pw-primary-7781', 'pw-replica-7782', 'escaped-7783', 'h-one-7784', 'h-two-7785'];

function linkError(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

describe('JSON Pointer links (core, every provider with JSON_POINTER_FLAG)', () => {
  it('selects nested values, array items and escaped keys; numbers come back as JSON text', async () => {
    const p = createMemoryProvider({ documents: { app: { versions: [CONFIG] } } });
    const pointers = ['/db/primary/password', '/db/primary/port', '/a~1b/~0tilde', '/hosts/1', '/db/replica'];
    const results = await readLinks(
      p,
      pointers.map((jsonPointer) => p.parseLink({ path: 'app', jsonPointer })),
      p.createSession(),
    );
    expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual([
      'pw-primary-7781',
      '5432',
      'escaped-7783',
      'h-two-7785',
      '{"password":"pw-replica-7782"}',
    ]);
  });

  it('several pointers into one document cost one read, also combined with a key', async () => {
    const p = createMemoryProvider({ documents: { app: { versions: [{ config: JSON.stringify(CONFIG) }] } } });
    const links = ['/db/primary/password', '/db/replica/password', '/hosts/0'].map((jsonPointer) =>
      p.parseLink({ path: 'app', key: 'config', jsonPointer }),
    );
    expect(new Set(links.map((l) => p.documentKey(l))).size).toBe(1);
    const results = await readLinks(p, links, p.createSession());
    expect(results.map((r) => r.ok && r.value)).toEqual(['pw-primary-7781', 'pw-replica-7782', 'h-one-7784']);
    expect(p.stats.upstreamReads).toBe(1);
  });

  it('a missing path is KEY_NOT_FOUND naming the deepest existing parent and its keys, never a value', async () => {
    const p = createMemoryProvider({ documents: { app: { versions: [CONFIG] } } });
    const cases = ['/db/primary/user', '/db/standby/password', '/hosts/2', '/hosts/x', '/db/primary/password/deeper', '/nothing'];
    const results = await readLinks(
      p,
      cases.map((jsonPointer) => p.parseLink({ path: 'app', jsonPointer })),
      p.createSession(),
    );
    const errors = results.map((r) => (r.ok ? undefined : r.error));
    expect(errors.map((e) => e?.code)).toEqual(Array(cases.length).fill('KEY_NOT_FOUND'));
    expect(errors[0]!.message).toContain('/db/primary has no key "user". Keys there: password, port.');
    expect(errors[0]!.details).toMatchObject({ deepestParent: '/db/primary', availableKeys: ['password', 'port'] });
    expect(errors[0]!.fix).toEqual({
      action: 'relink',
      provider: 'memory',
      flags: { path: 'app', 'json-pointer': '/db/primary/password' },
      hint: 'a pointer through the keys listed',
    });
    expect(errors[1]!.message).toContain('/db has no key "standby". Keys there: primary, replica.');
    expect(errors[2]!.message).toContain('/hosts is an array of 2 item(s), so "2" is not an index in it (0 to 1).');
    expect(errors[3]!.message).toContain('"x" is not an index');
    expect(errors[4]!.message).toContain('/db/primary/password is a string, not an object or array');
    expect(errors[5]!.message).toContain('(the document itself) has no key "nothing". Keys there: a/b, db, hosts.');
    const text = JSON.stringify(errors.map((e) => e!.toJSON()));
    for (const value of VALUES) expect(text).not.toContain(value);
  });

  it('a value that is not JSON is UNSUPPORTED_VALUE without quoting it', async () => {
    const p = createMemoryProvider({ documents: { token: 'plain-token-not-json-7786' } });
    const [result] = await readLinks(p, [p.parseLink({ path: 'token', jsonPointer: '/a' })], p.createSession());
    expect(result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_VALUE' } });
    expect(JSON.stringify(!result!.ok && result!.error.toJSON())).not.toContain('plain-token-not-json-7786');
  });

  it('is validated at link time: INVALID_LINK names the field and the expected form', () => {
    const p = createMemoryProvider({ documents: {} });
    expect(jsonPointerProblem('/ok/~0/~1')).toBeUndefined();
    const dotted = linkError(() => p.parseLink({ path: 'app', jsonPointer: 'db.primary.password' }));
    expect(dotted.code).toBe('INVALID_LINK');
    expect(dotted.issues).toEqual([
      {
        field: 'json-pointer',
        problem: '"db.primary.password" does not start with "/"; did you mean /db/primary/password?',
        expected: expect.stringContaining('RFC 6901'),
      },
    ]);
    const tilde = linkError(() => p.parseLink({ path: 'app', jsonPointer: '/a~2b' }));
    expect(tilde.issues[0]).toMatchObject({ field: 'json-pointer', problem: expect.stringContaining('"~" not followed by 0 or 1') });
    // Every problem at once: the provider's own fields and the pointer.
    const both = linkError(() => p.parseLink({ path: 'bad path!', jsonPointer: 'x' }));
    expect(both.issues.map((i) => i.field)).toEqual(['path', 'json-pointer']);
  });

  it('shows in list and show, takes part in the cache key, and resolves through the vault', async () => {
    const { vault, memory } = setup({ memory: { documents: { app: { versions: [CONFIG] } } } });
    await vault.connect('memory', {}, testIO());
    await vault.link('primary', 'memory', { path: 'app', jsonPointer: '/db/primary/password' });
    await vault.link('replica', 'memory', { path: 'app', jsonPointer: '/db/replica/password' });
    const shown = await vault.show('primary');
    expect(shown.extra).toMatchObject({ jsonPointer: '/db/primary/password' });
    expect((await vault.list()).map((s) => s.extra?.['jsonPointer'])).toEqual(['/db/primary/password', '/db/replica/password']);
    const resolved = await vault.resolveNames(['primary', 'replica']);
    expect([...resolved.values()].map((r) => r.ok && r.value)).toEqual(['pw-primary-7781', 'pw-replica-7782']);
    expect(memory.stats.upstreamReads).toBe(1);
  });
});
