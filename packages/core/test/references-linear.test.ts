/**
 * The reference scanner is linear on any input (issue 12 item 10): 100k lines of `{{vault:m1 `
 * took 42 s when each problem's line number was counted from the start of the text. The scanner
 * counts the characters it examines (`ScanStats`), so linearity is asserted on the work done,
 * not on time. (The timings are in `pnpm bench`: "reference scanner, malformed input".)
 */
import { describe, expect, it } from 'vitest';
import { findReferences, scanReferences, scanReferencesInBytes, VaultError, type ScanStats } from '../src/index.js';

const LINES = 100_000;
/** A few steps per character: each cursor passes each character once. */
const STEPS_PER_CHAR = 6;

const shapes: Record<string, string> = {
  'unclosed references, one per line': '{{vault:m1 \n'.repeat(LINES),
  'unclosed references on one line': '{{vault:m1 '.repeat(LINES),
  'openings with no brace after them': `${'{{vault:'.repeat(LINES)}${'x'.repeat(LINES)}`,
  'single closing braces': '{{vault:a} '.repeat(LINES),
  'bad names, closed': '{{vault: a }}\n'.repeat(LINES),
  'well-formed references': '{{vault:a}}\n'.repeat(LINES),
};

describe('reference scanner: linear work on malformed input', () => {
  for (const [shape, text] of Object.entries(shapes)) {
    it(`${shape}: at most ${STEPS_PER_CHAR} steps per character (text and bytes)`, () => {
      const stats: ScanStats = { steps: 0 };
      const scan = scanReferences(text, stats);
      expect(scan.references.length + scan.problems.length).toBeGreaterThanOrEqual(LINES);
      expect(stats.steps).toBeGreaterThanOrEqual(text.length);
      expect(stats.steps).toBeLessThanOrEqual(STEPS_PER_CHAR * text.length);

      const byteStats: ScanStats = { steps: 0 };
      const byteScan = scanReferencesInBytes(Buffer.from(text, 'latin1'), byteStats);
      expect(byteScan.problems.map((p) => [p.line, p.column])).toEqual(scan.problems.map((p) => [p.line, p.column]));
      expect(byteStats.steps).toBeLessThanOrEqual(STEPS_PER_CHAR * text.length);
    });
  }

  it('still reports each of the 100k problems with its line and column', () => {
    const error = (() => {
      try {
        findReferences(shapes['unclosed references, one per line']!, 'stdin');
      } catch (caught) {
        return caught as VaultError;
      }
      throw new Error('expected INVALID_REFERENCE');
    })();
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.issues).toHaveLength(LINES);
    expect(error.issues.at(-1)?.field).toBe(`stdin line ${LINES}, column 1`);
  });
});
