/**
 * The one masker of vaultlink: replaces secret values, in every form listed in forms.ts, with
 * a fixed text. Used for CLI output, errors, the runner's console and reports, and streams.
 *
 * - Any value size: matching is done by LiteralMatcher (no regular expression is built from
 *   values, and nothing about a value ever goes into an error).
 * - Values shorter than MIN_SUBSTRING_LENGTH are masked only where they stand as a whole
 *   token: a secret `a` must not turn `newman` into `newm********n`. Hosts warn about them
 *   (`shortValueCount`), as GitHub Actions does.
 * - Structure is not data: `maskJson` masks string values but never a key by a short value,
 *   and `maskMarkup` never touches element or attribute names (markup.ts). A key or name that
 *   holds a value of the minimum length or more is still masked: leaking is worse.
 * - Values can be added at any time (pm.vault.set, a refreshed value); the matchers are
 *   rebuilt lazily on the next use.
 */
import { byteForms, textForms, type ExtraForms } from './forms.js';
import { maskMarkupWith } from './markup.js';
import { LiteralMatcher, mergeRanges, replaceRanges, type MatchPattern, type Range } from './matcher.js';

export const DEFAULT_MASK = '********';
/** Values shorter than this many characters are masked only as whole tokens. */
export const MIN_SUBSTRING_LENGTH = 6;

/** `Basic <base64>`: the value may be only part of the encoded `user:password`. */
const BASIC_CREDENTIALS = /(\bBasic\s+)([A-Za-z0-9+/_-]{4,}={0,2})/gi;

export interface MaskerOptions {
  /** @default DEFAULT_MASK */
  replacement?: string;
  /** More forms of each value, e.g. a host's own URL encoder. XML/HTML escapes are added to them. */
  extraForms?: ExtraForms;
}

export class SecretMasker {
  readonly replacement: string;
  private readonly extraForms: ExtraForms | undefined;
  private readonly values = new Set<string>();
  private built: { all: LiteralMatcher; long: LiteralMatcher } | undefined;

  constructor(values: Iterable<string> = [], options: MaskerOptions = {}) {
    this.replacement = options.replacement ?? DEFAULT_MASK;
    this.extraForms = options.extraForms;
    this.add(values);
  }

  /** Number of distinct values. */
  get size(): number {
    return this.values.size;
  }

  /** Values shorter than MIN_SUBSTRING_LENGTH: masked only as whole tokens. */
  get shortValueCount(): number {
    let count = 0;
    for (const value of this.values) if (value.length < MIN_SUBSTRING_LENGTH) count++;
    return count;
  }

  /** Length of the longest form; a stream must hold back one character less than this. */
  get maxLength(): number {
    return this.matchers().all.maxLength;
  }

  /** Adds values; returns true when any was new. */
  add(values: Iterable<string>): boolean {
    let changed = false;
    for (const value of values) {
      if (typeof value !== 'string' || value.length === 0 || this.values.has(value)) continue;
      this.values.add(value);
      changed = true;
    }
    if (changed) this.built = undefined;
    return changed;
  }

  mask(text: string): string {
    if (this.values.size === 0 || text.length === 0) return text;
    return replaceRanges(text, this.ranges(text, 'all'), this.replacement);
  }

  contains(text: string): boolean {
    return this.values.size > 0 && text.length > 0 && this.ranges(text, 'all').length > 0;
  }

  /**
   * Masks what is complete in a stream buffer. `buffer.slice(0, emitted)` is context that was
   * already written (so a whole-token check sees the character before); returns the masked
   * text from `emitted` to `cut`. Text from `cut` on must be passed again with the next chunk.
   */
  maskPrefix(buffer: string, final: boolean, emitted = 0): { out: string; cut: number } {
    if (this.values.size === 0) return { out: buffer.slice(emitted), cut: buffer.length };
    // Matches starting in the context are dropped before merging: the context character lacks its own
    // left neighbour here, so it may look like a whole token it was not, and must not swallow a match after it.
    const ranges = this.ranges(buffer, 'all', emitted);
    // Hold back a whole form's length: a match there may be incomplete, or followed by a word character.
    let cut = final ? buffer.length : Math.max(emitted, buffer.length - this.maxLength);
    const crossing = ranges.find(([start, end]) => start < cut && end > cut);
    if (crossing) cut = crossing[0];
    const inside = ranges.filter(([, end]) => end <= cut).map(([start, end]): Range => [start - emitted, end - emitted]);
    return { out: replaceRanges(buffer.slice(emitted, cut), inside, this.replacement), cut };
  }

  /** A JSON-like value with every string masked; keys only by values of the minimum length or more. */
  maskJson<T>(value: T): T {
    return this.values.size === 0 ? value : (this.maskDeep(value, 0) as T);
  }

  /** XML or HTML text: text and attribute values masked; names only by values of the minimum length or more. */
  maskMarkup(text: string): string {
    if (this.values.size === 0 || text.length === 0) return text;
    return maskMarkupWith(text, {
      data: (segment) => this.ranges(segment, 'all'),
      structure: (segment) => this.ranges(segment, 'long'),
      replacement: this.replacement,
    });
  }

  /** Merged match ranges, counting only matches that start at `from` or later. */
  private ranges(text: string, which: 'all' | 'long', from = 0): Range[] {
    const matcher = this.matchers()[which];
    const ranges = matcher.matches(text);
    for (const match of text.matchAll(BASIC_CREDENTIALS)) {
      const encoded = match[2] ?? '';
      if (matcher.test(decodeBase64(encoded))) {
        const start = (match.index ?? 0) + (match[1] ?? '').length;
        ranges.push([start, start + encoded.length]);
      }
    }
    return mergeRanges(from > 0 ? ranges.filter(([start]) => start >= from) : ranges);
  }

  private matchers(): { all: LiteralMatcher; long: LiteralMatcher } {
    if (!this.built) {
      const all: MatchPattern[] = [];
      const long: MatchPattern[] = [];
      for (const value of this.values) {
        const wholeToken = value.length < MIN_SUBSTRING_LENGTH;
        for (const text of textForms(value, this.extraForms)) {
          all.push({ text, wholeToken });
          if (!wholeToken) long.push({ text, wholeToken });
        }
        // A short value's encodings would be short, common tokens (hex `61` for `a`): not masked.
        if (wholeToken) continue;
        for (const text of byteForms(value)) {
          if (text.length < MIN_SUBSTRING_LENGTH) continue;
          all.push({ text, wholeToken: false });
          long.push({ text, wholeToken: false });
        }
      }
      this.built = { all: new LiteralMatcher(all), long: new LiteralMatcher(long) };
    }
    return this.built;
  }

  private maskDeep(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (depth > 200 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.maskDeep(item, depth + 1));
    if (isSerializedBuffer(value)) return this.maskSerializedBuffer(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[replaceRanges(key, this.ranges(key, 'long'), this.replacement)] = this.maskDeep(item, depth + 1);
    }
    return out;
  }

  /** Re-encoded only when it holds a value: other bodies (binary ones too) keep their bytes. */
  private maskSerializedBuffer(value: SerializedBuffer): SerializedBuffer {
    const text = Buffer.from(value.data).toString('utf8');
    return { type: 'Buffer', data: this.contains(text) ? [...Buffer.from(this.mask(text), 'utf8')] : [...value.data] };
  }
}

/** The masker's interface, for callers that only mask text. */
export type Masker = Pick<SecretMasker, 'replacement' | 'mask' | 'contains' | 'maxLength' | 'maskPrefix' | 'size'>;

export function createMasker(values: Iterable<string>, replacement: string = DEFAULT_MASK): SecretMasker {
  return new SecretMasker(values, { replacement });
}

/**
 * A Buffer as JSON.stringify writes it. newman's summary (its json report, `run()`'s result)
 * holds each response body so, as bytes a text search never sees.
 */
interface SerializedBuffer {
  type: 'Buffer';
  data: number[];
}

function isSerializedBuffer(value: object): value is SerializedBuffer {
  const candidate = value as Partial<SerializedBuffer>;
  return candidate.type === 'Buffer' && Array.isArray(candidate.data) && Object.keys(value).length === 2;
}

function decodeBase64(text: string): string {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}
