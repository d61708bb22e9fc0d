import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findReferences, isValidSecretName, replaceReferences, scanReferences, VaultError } from '../src/index.js';

/** Names Postman accepts and we keep: no braces, no control characters, trimmed, 1-200 chars. */
const nameArb = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => isValidSecretName(s));

/** Text that cannot form or break a reference by itself. */
const fillerArb = fc.string({ maxLength: 30 }).filter((s) => !s.includes('{') && !s.includes('}'));

describe('findReferences', () => {
  it('finds Postman-style names with spaces, dots, dashes and colons', () => {
    const text = 'Bearer {{vault:api key}} and {{vault:db.password-2}} and {{vault:team:token}}';
    expect(findReferences(text).map((r) => r.name)).toEqual(['api key', 'db.password-2', 'team:token']);
  });

  it('reports positions and the raw token', () => {
    const [ref] = findReferences('x={{vault:a}}');
    expect(ref).toEqual({ name: 'a', start: 2, end: 13, raw: '{{vault:a}}' });
  });

  it('ignores non-vault variables and other prefixes, like Postman', () => {
    expect(findReferences('{{host}}/{{VAULT:x}}/{{ vault:x}}/{{$guid}}')).toEqual([]);
  });

  it('matches the innermost token when braces pile up, as Postman does', () => {
    expect(findReferences('{{{vault:a}}}').map((r) => r.name)).toEqual(['a']);
  });

  it('rejects malformed references with INVALID_REFERENCE naming line, column and the expected form', () => {
    const error = catchError(() => findReferences('ok\n  {{vault:}} and {{vault:x'));
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.issues).toHaveLength(2);
    expect(error.issues[0]).toMatchObject({ field: 'text line 2, column 3', problem: 'name is empty' });
    expect(error.issues[0]!.expected).toContain('{{vault:NAME}}');
    expect(error.issues[1]!.problem).toContain('not closed');
    expect(error.fix).toBeDefined();
  });

  it.each([
    ['{{vault: padded}}', 'whitespace'],
    ['{{vault:   }}', 'only whitespace'],
    ['{{vault:a}b}}', 'not closed'],
    ['{{vault:a{{vault:b}}', 'not closed'],
    [`{{vault:${'n'.repeat(201)}}}`, '201 characters'],
  ])('rejects %s', (text, problem) => {
    expect(catchError(() => findReferences(text)).issues[0]!.problem).toContain(problem);
  });

  it('finds every generated name exactly, in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fillerArb, nameArb), { maxLength: 8 }), fillerArb, (parts, tail) => {
        const text = parts.map(([filler, name]) => `${filler}{{vault:${name}}}`).join('') + tail;
        const found = findReferences(text);
        expect(found.map((r) => r.name)).toEqual(parts.map(([, name]) => name));
        for (const ref of found) expect(text.slice(ref.start, ref.end)).toBe(`{{vault:${ref.name}}}`);
      }),
    );
  });

  it('finds nothing and reports nothing in text without "{{vault:" (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        fc.pre(!text.includes('{{vault:'));
        expect(scanReferences(text)).toEqual({ references: [], problems: [] });
      }),
    );
  });

  it('never throws anything but INVALID_REFERENCE on arbitrary text (property)', () => {
    const piece = fc.oneof(fc.constantFrom('{{vault:', '}}', '{', '}', '{{', ' ', 'a', '\n'), fc.string({ maxLength: 5 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const text = pieces.join('');
        try {
          findReferences(text);
        } catch (error) {
          expect((error as VaultError).code).toBe('INVALID_REFERENCE');
        }
      }),
    );
  });
});

describe('replaceReferences', () => {
  it('replaces vault references and leaves unresolved ones literal', () => {
    const out = replaceReferences('{{vault:a}}-{{vault:b}}-{{a}}', (r) => (r.name === 'a' ? 'A' : undefined));
    expect(out).toBe('A-{{vault:b}}-{{a}}');
  });

  it('never touches non-vault {{var}} tokens and substitutes each name (property)', () => {
    const plainVar = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).map((v) => `{{${v}}}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            plainVar,
            nameArb.map((n) => ({ name: n })),
            fillerArb,
          ),
          { maxLength: 10 },
        ),
        (parts) => {
          const text = parts.map((p) => (typeof p === 'string' ? p : `{{vault:${p.name}}}`)).join('');
          const out = replaceReferences(text, (r) => `<${r.name.length}>`);
          const expected = parts.map((p) => (typeof p === 'string' ? p : `<${p.name.length}>`)).join('');
          expect(out).toBe(expected);
        },
      ),
    );
  });

  it('does not re-scan substituted values (a value that looks like a reference stays as is)', () => {
    expect(replaceReferences('{{vault:a}}', () => '{{vault:b}}')).toBe('{{vault:b}}');
  });
});

function catchError(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (error) {
    return error as VaultError;
  }
  throw new Error('expected an error');
}
