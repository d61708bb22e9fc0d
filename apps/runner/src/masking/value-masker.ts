/**
 * The run's masker: core's masker (values as written, JSON-escaped and percent-encoded)
 * plus the forms values take in the runner's own outputs: percent-encoded the way
 * postman-runtime encodes URLs (it leaves `@`, `&`, `'` ... as they are, so the URL an
 * echo server reports or htmlextra links to differs from encodeURIComponent), XML/HTML-
 * escaped (junit, and htmlextra's Handlebars, which also escapes ' ` and =), base64
 * (scripts that encode them) and HTTP Basic credentials, where the value is only part of
 * the encoded `user:password`. Values can be added during the run (`pm.vault.set`), so
 * the underlying masker is rebuilt on change.
 */
import { createMasker, type Masker } from '@vault/core';
import { loadUrlEncoder } from '../engine/postman-modules.js';

const BASIC_CREDENTIALS = /(\bBasic\s+)([A-Za-z0-9+/_-]{4,}={0,2})/gi;

export class ValueMasker {
  private readonly values = new Set<string>();
  private masker: Masker = createMasker([]);

  /** The fixed text each value is replaced by. */
  get replacement(): string {
    return this.masker.replacement;
  }

  get size(): number {
    return this.values.size;
  }

  add(values: Iterable<string>): void {
    let changed = false;
    for (const value of values) {
      if (typeof value !== 'string' || value.length === 0 || this.values.has(value)) continue;
      this.values.add(value);
      changed = true;
    }
    if (changed) this.masker = createMasker([...this.values].flatMap(extraForms));
  }

  mask(text: string): string {
    if (this.values.size === 0 || text.length === 0) return text;
    const withoutCredentials = text.replace(BASIC_CREDENTIALS, (whole, prefix: string, encoded: string) =>
      this.masker.contains(decodeBase64(encoded)) ? `${prefix}${this.masker.replacement}` : whole,
    );
    return this.masker.mask(withoutCredentials);
  }

  contains(text: string): boolean {
    if (this.values.size === 0) return false;
    if (this.masker.contains(text)) return true;
    for (const match of text.matchAll(BASIC_CREDENTIALS)) {
      if (this.masker.contains(decodeBase64(match[2] ?? ''))) return true;
    }
    return false;
  }

  /**
   * Masks every string (keys included) of a JSON-like value, and the text of serialized
   * Buffers in it; returns a new value.
   */
  maskJson<T>(value: T): T {
    return maskDeep(value, this, 0) as T;
  }
}

/** The value and its escaped/encoded forms; core adds JSON and URL forms of each. */
export function extraForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  // As util.inspect and chai print a string: single-quoted, so ' becomes \' (assertion messages).
  const singleQuoted = json.replace(/\\"/g, '"').replace(/'/g, "\\'");
  const forms = [value];
  for (const text of new Set([value, json, singleQuoted, ...runtimeUrlForms(value)])) {
    const xml = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const quotes = xml.replace(/"/g, '&quot;');
    forms.push(
      text,
      xml,
      quotes.replace(/'/g, '&apos;'),
      quotes.replace(/'/g, '&#39;'),
      xml.replace(/"/g, '&#34;').replace(/'/g, '&#39;'),
      quotes.replace(/'/g, '&#x27;').replace(/`/g, '&#x60;').replace(/=/g, '&#x3D;'), // Handlebars (htmlextra)
    );
  }
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  forms.push(base64, base64.replace(/=+$/, ''), Buffer.from(value, 'utf8').toString('base64url'));
  return [...new Set(forms)];
}

/** The value as postman-runtime puts it in a URL's path, query, user info or fragment. */
function runtimeUrlForms(value: string): string[] {
  const encoder = loadUrlEncoder();
  return [
    encoder.encodePath(value),
    encoder.encodeQueryParam(value),
    encoder.encodeQueryParam({ key: null, value }).replace(/^=/, ''),
    encoder.encodeUserInfo(value),
    encoder.encodeFragment(value),
  ];
}

function decodeBase64(text: string): string {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

function maskDeep(value: unknown, masker: ValueMasker, depth: number): unknown {
  if (typeof value === 'string') return masker.mask(value);
  if (depth > 200 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, masker, depth + 1));
  if (isSerializedBuffer(value)) return maskSerializedBuffer(value, masker);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[masker.mask(key)] = maskDeep(item, masker, depth + 1);
  return out;
}

/**
 * A Buffer as JSON.stringify writes it. newman's summary (its json report, `run()`'s
 * result) holds each response body so, as bytes a text search never sees.
 */
interface SerializedBuffer {
  type: 'Buffer';
  data: number[];
}

function isSerializedBuffer(value: object): value is SerializedBuffer {
  const candidate = value as Partial<SerializedBuffer>;
  return candidate.type === 'Buffer' && Array.isArray(candidate.data) && Object.keys(value).length === 2;
}

/** Re-encoded only when it holds a value: other bodies (binary ones too) keep their bytes. */
function maskSerializedBuffer(value: SerializedBuffer, masker: ValueMasker): SerializedBuffer {
  const text = Buffer.from(value.data).toString('utf8');
  const data = masker.contains(text) ? [...Buffer.from(masker.mask(text), 'utf8')] : [...value.data];
  return { type: 'Buffer', data };
}
