/**
 * Masks XML or HTML (junit and htmlextra reports) without breaking it. Text, attribute values,
 * comments and CDATA are data: masked with every value. Element and attribute names are
 * structure: masked only by values of the minimum length or more (a secret `a` must not turn
 * `<testcase` into `<test********e`). A match that cuts into a character reference (`&amp;`)
 * covers the whole reference, so the output stays well-formed. Anything the scanner does not
 * recognise (an unclosed tag, comment or CDATA) is treated as data: masked, never skipped.
 */
import { mergeRanges, replaceRanges, type Range } from './matcher.js';

export interface MarkupMasking {
  /** Ranges of values in a data segment. */
  data(segment: string): Range[];
  /** Ranges of values in a name. */
  structure(segment: string): Range[];
  replacement: string;
}

/** Elements whose content is raw text in HTML (a `<` inside is not a tag). */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
const ENTITY = /&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi;

export function maskMarkupWith(text: string, masking: MarkupMasking): string {
  const out: string[] = [];
  const data = (segment: string) => out.push(maskData(segment, masking));
  const structure = (segment: string) => out.push(replaceRanges(segment, masking.structure(segment), masking.replacement));
  let at = 0;
  let searchFrom = 0;
  while (at < text.length) {
    const open = text.indexOf('<', searchFrom);
    if (open < 0) {
      data(text.slice(at));
      break;
    }
    if (!startsMarkup(text, open)) {
      searchFrom = open + 1; // a bare `<` in text: still data
      continue;
    }
    data(text.slice(at, open));
    const delimited = [
      ['<!--', '-->'],
      ['<![CDATA[', ']]>'],
    ].find(([start]) => text.startsWith(start!, open));
    if (delimited) {
      const [start, end] = delimited as [string, string];
      const close = text.indexOf(end, open + start.length);
      if (close < 0) {
        data(text.slice(open));
        break;
      }
      out.push(start);
      data(text.slice(open + start.length, close));
      out.push(end);
      at = searchFrom = close + end.length;
      continue;
    }
    const tag = scanTag(text, open);
    if (!tag) {
      data(text.slice(open));
      break;
    }
    for (const part of tag.parts) (part.kind === 'data' ? data : structure)(text.slice(part.start, part.end));
    at = searchFrom = tag.end;
    if (tag.rawTextOf) {
      const closing = indexOfIgnoreCase(text, `</${tag.rawTextOf}`, at);
      const end = closing < 0 ? text.length : closing;
      data(text.slice(at, end));
      at = searchFrom = end;
    }
  }
  return out.join('');
}

interface TagPart {
  kind: 'data' | 'structure';
  start: number;
  end: number;
}

/** One tag from `<` to `>`: names and punctuation are structure, attribute values are data. */
function scanTag(text: string, open: number): { parts: TagPart[]; end: number; rawTextOf?: string } | undefined {
  const parts: TagPart[] = [];
  let at = open + 1;
  const closing = text[at] === '/';
  const nameStart = closing ? at + 1 : at;
  at = skipWhile(text, nameStart, (char) => !/[\s/>]/.test(char));
  const name = text.slice(nameStart, at).toLowerCase();
  parts.push({ kind: 'structure', start: open, end: at });
  while (at < text.length) {
    const char = text[at]!;
    if (char === '>') {
      parts.push({ kind: 'structure', start: at, end: at + 1 });
      const selfClosing = text[at - 1] === '/';
      return { parts, end: at + 1, ...(!closing && !selfClosing && RAW_TEXT.has(name) ? { rawTextOf: name } : {}) };
    }
    if (char === '"' || char === "'") {
      const close = text.indexOf(char, at + 1);
      if (close < 0) return undefined;
      parts.push(
        { kind: 'structure', start: at, end: at + 1 },
        { kind: 'data', start: at + 1, end: close },
        { kind: 'structure', start: close, end: close + 1 },
      );
      at = close + 1;
      continue;
    }
    if (/\s/.test(char) || char === '=') {
      parts.push({ kind: 'structure', start: at, end: at + 1 });
      at += 1;
    } else if (precededByEquals(text, at)) {
      // An unquoted attribute value.
      const end = skipWhile(text, at, (next) => !/[\s>]/.test(next));
      parts.push({ kind: 'data', start: at, end });
      at = end;
    } else if (char === '/') {
      parts.push({ kind: 'structure', start: at, end: at + 1 });
      at += 1;
    } else {
      const end = skipWhile(text, at, (next) => !/[\s=/>"']/.test(next));
      parts.push({ kind: 'structure', start: at, end });
      at = end;
    }
  }
  return undefined;
}

function startsMarkup(text: string, open: number): boolean {
  const next = text[open + 1] ?? '';
  if (next === '!' || next === '?') return true;
  return /[A-Za-z_:]/.test(next === '/' ? (text[open + 2] ?? '') : next);
}

function indexOfIgnoreCase(text: string, needle: string, from: number): number {
  const pattern = new RegExp(needle.replace(/[/]/g, '\\/'), 'gi');
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? -1;
}

function precededByEquals(text: string, at: number): boolean {
  let back = at - 1;
  while (back >= 0 && /\s/.test(text[back]!)) back--;
  return text[back] === '=';
}

function skipWhile(text: string, from: number, keep: (char: string) => boolean): number {
  let at = from;
  while (at < text.length && keep(text[at]!)) at++;
  return at;
}

function maskData(segment: string, masking: MarkupMasking): string {
  if (segment.length === 0) return segment;
  const ranges = masking.data(segment);
  if (ranges.length === 0) return segment;
  return replaceRanges(segment, widenToEntities(segment, ranges), masking.replacement);
}

/** Widens ranges that start or end inside a character reference to cover all of it. */
function widenToEntities(segment: string, ranges: Range[]): Range[] {
  if (!segment.includes('&')) return ranges;
  const entities = [...segment.matchAll(ENTITY)].map((match) => [match.index ?? 0, (match.index ?? 0) + match[0].length] as Range);
  if (entities.length === 0) return ranges;
  const inside = (position: number) => entities.find(([start, end]) => position > start && position < end);
  // Widening can make neighbours overlap: merged again.
  return mergeRanges(ranges.map(([start, end]): Range => [inside(start)?.[0] ?? start, inside(end)?.[1] ?? end]));
}
