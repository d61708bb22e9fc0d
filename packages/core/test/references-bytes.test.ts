/**
 * References in bytes (issue 12 item 7): `vaultlink resolve` works on any input. Every byte
 * outside a reference passes through unchanged, so binary and non-UTF-8 input come out
 * byte-identical except for the resolved references.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findReferences, findReferencesInBytes, replaceReferencesInBytes, scanReferencesInBytes, VaultError } from '../src/index.js';

const resolveX = (reference: { name: string }) => (reference.name === 'x' ? 'VALUE' : undefined);

describe('references in bytes', () => {
  it('keeps a byte that is not UTF-8 next to a reference: A\\xff{{vault:x}}', () => {
    const input = Buffer.concat([Buffer.from([0x41, 0xff]), Buffer.from('{{vault:x}}')]);
    const output = replaceReferencesInBytes(input, resolveX);
    expect(output).toEqual(Buffer.concat([Buffer.from([0x41, 0xff]), Buffer.from('VALUE')]));
  });

  it('passes random binary input through byte-identical, apart from the references it holds', () => {
    // Random bytes with no "{{vault:" of their own, cut in pieces, with references between them.
    const pieces = Array.from({ length: 50 }, () =>
      randomBytes(4000).toString('latin1').replaceAll('{{vault:', '').replaceAll('{', '(').replaceAll('}', ')'),
    );
    const raw = Buffer.from(pieces.join('{{vault:x}}'), 'latin1');
    const expected = Buffer.from(pieces.join('VALUE'), 'latin1');
    expect(replaceReferencesInBytes(raw, resolveX).equals(expected)).toBe(true);
    // With no reference at all, the very same bytes come back.
    const noRefs = Buffer.from(pieces[0]!, 'latin1');
    expect(replaceReferencesInBytes(noRefs, resolveX).equals(noRefs)).toBe(true);
  });

  it('is byte-identical outside references for any bytes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), (chunks) => {
        // Braces inside a chunk could open or close a token; the property is about everything else.
        const clean = chunks.map((c) => Buffer.from(c.map((b) => (b === 0x7b || b === 0x7d ? 0x2e : b))));
        const input = Buffer.concat(clean.flatMap((c, i) => (i === 0 ? [c] : [Buffer.from('{{vault:x}}'), c])));
        const expected = Buffer.concat(clean.flatMap((c, i) => (i === 0 ? [c] : [Buffer.from('VALUE'), c])));
        expect(replaceReferencesInBytes(input, resolveX).equals(expected)).toBe(true);
      }),
    );
  });

  it('reads names as UTF-8, finds the same references as the text API in UTF-8 input, and reports byte offsets', () => {
    const text = 'é {{vault:clé}} and {{vault:x}}';
    const bytes = Buffer.from(text, 'utf8');
    expect(findReferencesInBytes(bytes).map((r) => r.name)).toEqual(findReferences(text).map((r) => r.name));
    const [first] = findReferencesInBytes(bytes);
    expect(bytes.subarray(first!.start, first!.end).toString('utf8')).toBe('{{vault:clé}}');
    expect(replaceReferencesInBytes(bytes, (r) => `<${r.name}>`).toString('utf8')).toBe('é <clé> and <x>');
  });

  it('a name whose bytes are not UTF-8 is a malformed reference, at a column counted in characters', () => {
    const bytes = Buffer.concat([Buffer.from('ab é\n  é {{vault:', 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from('}}')]);
    const scan = scanReferencesInBytes(bytes);
    expect(scan.references).toEqual([]);
    expect(scan.problems).toEqual([expect.objectContaining({ line: 2, column: 5, problem: 'name is not valid UTF-8' })]);
    expect(() => findReferencesInBytes(bytes, 'stdin')).toThrow(VaultError);
  });

  it('leaves references the resolver declines as they were', () => {
    const input = Buffer.from('{{vault:x}} {{vault:y}}');
    expect(replaceReferencesInBytes(input, resolveX).toString()).toBe('VALUE {{vault:y}}');
  });
});
