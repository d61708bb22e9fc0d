/**
 * Finds every occurrence of many literal strings in a text, in one pass over it, with no
 * limit on their number or size. No regular expression is built from the values: one giant
 * alternation once made V8 throw "Regular expression too large" with every value in the
 * message, and took gigabytes for a 5 MB value.
 *
 * - Patterns up to AUTOMATON_MAX_LENGTH code units share one Aho-Corasick automaton (the
 *   `ahocorasick` package, which works on UTF-16 code units: a value followed by a combining
 *   mark is still found, unlike grapheme-aware matchers).
 * - Longer patterns are found with `indexOf`, which needs no memory beyond the pattern (an
 *   automaton for a 10 MB value's encoded forms would hold hundreds of millions of states).
 *
 * Overlapping and touching matches are merged into one range, so masking never leaves the
 * visible tail of a value that overlaps another one.
 */
import AhoCorasick from 'ahocorasick';

export const AUTOMATON_MAX_LENGTH = 256;

export interface MatchPattern {
  text: string;
  /** Counts only where it is not part of a longer word (no letter, digit or `_` either side). */
  wholeToken: boolean;
}

/** [start, end) in UTF-16 code units, sorted by start. */
export type Range = [start: number, end: number];

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;

export class LiteralMatcher {
  private readonly automaton: AhoCorasick | undefined;
  private readonly long: MatchPattern[];
  /** Whole-token flag of each automaton pattern (substring wins when a text is given both ways). */
  private readonly tokenOnly = new Map<string, boolean>();
  readonly maxLength: number;
  readonly size: number;

  constructor(patterns: Iterable<MatchPattern>) {
    const unique = new Map<string, boolean>();
    for (const { text, wholeToken } of patterns) {
      if (text.length === 0) continue;
      unique.set(text, (unique.get(text) ?? true) && wholeToken);
    }
    const short: string[] = [];
    this.long = [];
    let maxLength = 0;
    for (const [text, wholeToken] of unique) {
      maxLength = Math.max(maxLength, text.length);
      if (text.length > AUTOMATON_MAX_LENGTH) this.long.push({ text, wholeToken });
      else {
        short.push(text);
        this.tokenOnly.set(text, wholeToken);
      }
    }
    this.automaton = short.length > 0 ? new AhoCorasick(short) : undefined;
    this.maxLength = maxLength;
    this.size = unique.size;
  }

  /** Every match, unmerged, as [start, end). */
  matches(text: string): Range[] {
    const found: Range[] = [];
    if (this.size === 0 || text.length === 0) return found;
    if (this.automaton) {
      for (const [last, words] of this.automaton.search(text)) {
        for (const word of words) {
          const start = last + 1 - word.length;
          if (!this.tokenOnly.get(word) || isWholeToken(text, start, last + 1)) found.push([start, last + 1]);
        }
      }
    }
    for (const { text: pattern, wholeToken } of this.long) {
      for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) {
        if (!wholeToken || isWholeToken(text, at, at + pattern.length)) found.push([at, at + pattern.length]);
      }
    }
    return found;
  }

  test(text: string): boolean {
    return this.matches(text).length > 0;
  }
}

export function mergeRanges(ranges: Range[]): Range[] {
  if (ranges.length < 2) return ranges;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Range[] = [[sorted[0]![0], sorted[0]![1]]];
  for (const [start, end] of sorted.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Replaces each range of `text` with `replacement`. */
export function replaceRanges(text: string, ranges: readonly Range[], replacement: string): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let last = 0;
  for (const [start, end] of ranges) {
    parts.push(text.slice(last, start), replacement);
    last = end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

function isWholeToken(text: string, start: number, end: number): boolean {
  return !WORD_CHAR.test(text.charAt(start - 1)) && !WORD_CHAR.test(text.charAt(end));
}
