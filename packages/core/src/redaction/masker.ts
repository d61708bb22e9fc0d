/**
 * Replaces resolved secret values in output. Each value is masked as written and in the
 * forms it takes once it passes through JSON or a URL (JSON-escaped, percent-encoded,
 * form-encoded), longest first so a value that contains another is masked whole.
 *
 * Every non-empty value is masked, however short: a one-character secret will also mask
 * that character everywhere in the output. That is noisy, but leaking is worse.
 */
export const DEFAULT_MASK = '********';

export interface Masker {
  /** The literal strings that get masked (values and their encoded forms), longest first. */
  readonly patterns: readonly string[];
  /** Length of the longest pattern; a stream must hold back one character less than this. */
  readonly maxLength: number;
  readonly replacement: string;
  mask(text: string): string;
  /** True when `text` contains any value. */
  contains(text: string): boolean;
}

export function createMasker(values: Iterable<string>, replacement: string = DEFAULT_MASK): Masker {
  const patterns = [...new Set([...values].flatMap(formsOf))].filter((p) => p.length > 0).sort((a, b) => b.length - a.length);
  const maxLength = patterns[0]?.length ?? 0;
  const regex = patterns.length > 0 ? new RegExp(patterns.map(escapeRegExp).join('|'), 'g') : undefined;
  return {
    patterns,
    maxLength,
    replacement,
    mask: (text) => (regex && text.length > 0 ? text.replace(regex, () => replacement) : text),
    contains: (text) => {
      if (!regex) return false;
      regex.lastIndex = 0;
      const found = regex.test(text);
      regex.lastIndex = 0;
      return found;
    },
  };
}

/** The value and the encodings it commonly appears in. */
export function formsOf(value: string): string[] {
  if (typeof value !== 'string' || value.length === 0) return [];
  const forms = [value, JSON.stringify(value).slice(1, -1)];
  try {
    const percent = encodeURIComponent(value);
    forms.push(percent, percent.replace(/%20/g, '+'), new URLSearchParams({ v: value }).toString().slice(2));
  } catch {
    // Lone surrogates cannot be percent-encoded; the raw and JSON forms still apply.
  }
  return forms;
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
