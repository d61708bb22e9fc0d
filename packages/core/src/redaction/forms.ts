/**
 * The forms a value takes once it passes through the places our output goes, each of which
 * the masker replaces like the value itself:
 *
 * - as written, JSON-escaped, and single-quoted as util.inspect and chai print strings;
 * - percent-encoded (`encodeURIComponent`, `+` for spaces, URLSearchParams); hosts add their
 *   own URL encoders (the runner adds postman-runtime's) through `extraForms`;
 * - XML/HTML-escaped, each of the above: `&amp; &lt; &gt;`, quotes as `&quot;`, `&apos;`,
 *   `&#39;`, `&#34;`, and Handlebars' escaping (`&#x27; &#x60; &#x3D;`);
 * - base64 (standard, unpadded, URL-safe), also where the value sits inside a longer encoded
 *   text at any of the three byte alignments (e.g. `btoa("user:" + value)`);
 * - hex of its UTF-8 bytes, lower and upper case.
 *
 * What masking cannot catch is listed in the core README ("What masking cannot catch").
 */

export type ExtraForms = (value: string) => Iterable<string>;

export function textForms(value: string, extraForms?: ExtraForms): string[] {
  if (typeof value !== 'string' || value.length === 0) return [];
  const json = JSON.stringify(value).slice(1, -1);
  const singleQuoted = json.replace(/\\"/g, '"').replace(/'/g, "\\'");
  const texts = new Set([value, json, singleQuoted, ...percentForms(value)]);
  if (extraForms) for (const form of extraForms(value)) texts.add(form);
  const forms = new Set<string>();
  for (const text of texts) {
    const xml = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const quotes = xml.replace(/"/g, '&quot;');
    forms.add(text);
    forms.add(xml);
    forms.add(quotes.replace(/'/g, '&apos;'));
    forms.add(quotes.replace(/'/g, '&#39;'));
    forms.add(xml.replace(/"/g, '&#34;').replace(/'/g, '&#39;'));
    forms.add(quotes.replace(/'/g, '&#x27;').replace(/`/g, '&#x60;').replace(/=/g, '&#x3D;'));
  }
  return [...forms];
}

/** Byte encodings: base64 (three alignments) and hex. Only for values long enough to be distinctive. */
export function byteForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const base64 = bytes.toString('base64');
  const forms = new Set([
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ]);
  for (const form of embeddedBase64(bytes)) {
    forms.add(form);
    forms.add(form.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}

function percentForms(value: string): string[] {
  try {
    const percent = encodeURIComponent(value);
    return [percent, percent.replace(/%20/g, '+'), new URLSearchParams({ v: value }).toString().slice(2)];
  } catch {
    return []; // lone surrogates cannot be percent-encoded; the other forms still apply
  }
}

/**
 * Inside a longer base64 text the value's bytes may start at any offset modulo 3. For each
 * offset, the characters that depend only on the value's bytes: encode it behind 0, 1 or 2
 * filler bytes and drop the characters the filler or the unknown next bytes touch.
 */
function embeddedBase64(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (const lead of [1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(lead), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    const skip = Math.ceil((lead * 8) / 6);
    const usable = Math.floor(((lead + bytes.length) * 8) / 6);
    if (usable - skip >= 4) forms.push(encoded.slice(skip, usable));
  }
  const aligned = bytes.toString('base64').replace(/=+$/, '');
  const full = Math.floor((bytes.length * 8) / 6);
  if (full >= 4) forms.push(aligned.slice(0, full));
  return forms;
}
