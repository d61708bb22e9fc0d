/**
 * The one reference scanner behind the text API (parse.ts) and the byte API (bytes.ts).
 *
 * It reads `source` as a sequence of code units of which only ASCII matters (`{`, `}`, `\n`), so
 * the same loop serves a JS string and bytes decoded as latin1 (one char per byte, lossless).
 * Every cursor only moves forward, and each search remembers what it found, so the work is linear
 * in the input size whatever its shape: 100k unclosed `{{vault:` tokens cost no more than 100k
 * well-formed ones.
 */
import { secretNameProblem } from '../names.js';

export const REFERENCE_PREFIX = '{{vault:';
export const REFERENCE_SUFFIX = '}}';

const CLOSE_BRACE = 0x7d;
const UTF8_CONTINUATION_MASK = 0xc0;
const UTF8_CONTINUATION = 0x80;
const UNCLOSED = 'reference is not closed with }} before the next brace or the end of the text';

export interface VaultReference {
  /** The secret name between `{{vault:` and `}}`. */
  name: string;
  /** Offset of the first `{` (in UTF-16 code units for text, in bytes for bytes). */
  start: number;
  /** Offset just past the closing `}}`. */
  end: number;
  /** The whole token, e.g. `{{vault:api key}}`. */
  raw: string;
}

export interface ReferenceProblem {
  start: number;
  /** 1-based line and column of `start`, for messages. */
  line: number;
  column: number;
  problem: string;
}

export interface ReferenceScan {
  references: VaultReference[];
  problems: ReferenceProblem[];
}

/**
 * Counts the characters a scan examined. For tests and benchmarks: it proves the scan stays
 * linear (a few steps per input character) on any input, without timing anything.
 */
export interface ScanStats {
  steps: number;
}

export interface ScanSource {
  /** The input, one char per code unit (text) or per byte (bytes decoded as latin1). */
  text: string;
  /** The secret name held by text[start, end), or why it cannot be read (bytes that are not UTF-8). */
  name(start: number, end: number): { name: string } | { problem: string };
  /** `units`: columns count code units; `utf8`: columns count UTF-8 characters (continuation bytes are skipped). */
  columns: 'units' | 'utf8';
}

/** Finds every reference and every malformed one, in order; never throws. */
export function scanSource(source: ScanSource, stats?: ScanStats): ReferenceScan {
  const { text } = source;
  const references: VaultReference[] = [];
  const problems: ReferenceProblem[] = [];
  const braces = new NextBrace(text, stats);
  const positions = new Positions(text, source.columns, stats);
  let from = 0;
  for (;;) {
    const start = text.indexOf(REFERENCE_PREFIX, from);
    if (stats) stats.steps += (start < 0 ? text.length : start + REFERENCE_PREFIX.length) - from;
    if (start < 0) break;
    const nameStart = start + REFERENCE_PREFIX.length;
    const brace = braces.from(nameStart);
    if (brace >= 0 && text.charCodeAt(brace) === CLOSE_BRACE && text.charCodeAt(brace + 1) === CLOSE_BRACE) {
      const end = brace + REFERENCE_SUFFIX.length;
      const read = source.name(nameStart, brace);
      const problem = 'problem' in read ? read.problem : secretNameProblem(read.name);
      if (problem !== undefined) problems.push(positions.problemAt(start, problem));
      else if ('name' in read) references.push({ name: read.name, start, end, raw: `${REFERENCE_PREFIX}${read.name}${REFERENCE_SUFFIX}` });
      from = end;
    } else {
      problems.push(positions.problemAt(start, UNCLOSED));
      from = nameStart;
    }
  }
  return { references, problems };
}

/** The next `{` or `}` at or after a position that only grows; each brace is searched for once. */
class NextBrace {
  private open = -2;
  private close = -2;

  constructor(
    private readonly text: string,
    private readonly stats: ScanStats | undefined,
  ) {}

  from(position: number): number {
    if (this.open !== -1 && this.open < position) this.open = this.search('{', position);
    if (this.close !== -1 && this.close < position) this.close = this.search('}', position);
    if (this.open < 0) return this.close;
    if (this.close < 0) return this.open;
    return Math.min(this.open, this.close);
  }

  private search(brace: '{' | '}', position: number): number {
    const found = this.text.indexOf(brace, position);
    if (this.stats) this.stats.steps += (found < 0 ? this.text.length : found + 1) - position;
    return found;
  }
}

/** Line and column of increasing offsets, counting each character once in total. */
class Positions {
  private line = 1;
  private lineStart = 0;
  private at = 0;
  /** Characters from lineStart to `at`. */
  private characters = 0;
  private nextNewline = -2;

  constructor(
    private readonly text: string,
    private readonly columns: 'units' | 'utf8',
    private readonly stats: ScanStats | undefined,
  ) {}

  problemAt(start: number, problem: string): ReferenceProblem {
    this.advance(start);
    return { start, line: this.line, column: this.characters + 1, problem };
  }

  private advance(to: number): void {
    for (;;) {
      if (this.nextNewline !== -1 && this.nextNewline < this.at) {
        this.nextNewline = this.text.indexOf('\n', this.at);
        if (this.stats) this.stats.steps += (this.nextNewline < 0 ? this.text.length : this.nextNewline + 1) - this.at;
      }
      if (this.nextNewline < 0 || this.nextNewline >= to) break;
      this.line += 1;
      this.lineStart = this.nextNewline + 1;
      this.at = this.lineStart;
      this.characters = 0;
    }
    if (this.columns === 'units') {
      this.characters = to - this.lineStart;
    } else {
      for (let i = this.at; i < to; i += 1) {
        if ((this.text.charCodeAt(i) & UTF8_CONTINUATION_MASK) !== UTF8_CONTINUATION) this.characters += 1;
      }
      if (this.stats) this.stats.steps += to - this.at;
    }
    this.at = to;
  }
}
