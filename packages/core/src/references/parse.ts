/**
 * Postman-compatible `{{vault:NAME}}` references in plain text.
 *
 * Postman's substitutor matches `{{([^{}]*?)}}` and looks the inner text up as a
 * variable key; vault secrets are the keys that start with `vault:`. So a reference is
 * `{{vault:` + a run of characters without braces + `}}`. Anything that opens with
 * `{{vault:` but does not form such a token (or whose name is not a valid secret name)
 * is reported as a problem instead of being silently left in the text.
 */
import { VaultError, type FieldIssue } from '../errors.js';
import { SECRET_NAME_EXPECTED, secretNameProblem } from '../names.js';

export const REFERENCE_PREFIX = '{{vault:';
export const REFERENCE_SUFFIX = '}}';
export const REFERENCE_EXPECTED = `{{vault:NAME}} where NAME is ${SECRET_NAME_EXPECTED}`;

export interface VaultReference {
  /** The secret name between `{{vault:` and `}}`. */
  name: string;
  /** Offset of the first `{` in the text. */
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

/** Finds every reference and every malformed one; never throws. */
export function scanReferences(text: string): ReferenceScan {
  const references: VaultReference[] = [];
  const problems: ReferenceProblem[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(REFERENCE_PREFIX, from);
    if (start < 0) break;
    const nameStart = start + REFERENCE_PREFIX.length;
    const brace = firstBrace(text, nameStart);
    if (brace >= 0 && text[brace] === '}' && text[brace + 1] === '}') {
      const name = text.slice(nameStart, brace);
      const problem = secretNameProblem(name);
      const end = brace + REFERENCE_SUFFIX.length;
      if (problem === undefined) references.push({ name, start, end, raw: text.slice(start, end) });
      else problems.push(problemAt(text, start, problem));
      from = end;
    } else {
      problems.push(problemAt(text, start, 'reference is not closed with }} before the next brace or the end of the text'));
      from = nameStart;
    }
  }
  return { references, problems };
}

/** Every reference in `text`. Throws INVALID_REFERENCE listing each malformed one. */
export function findReferences(text: string, where?: string): VaultReference[] {
  const scan = scanReferences(text);
  if (scan.problems.length > 0) throw invalidReferenceError(scan.problems, where);
  return scan.references;
}

/** Distinct names, in order of first appearance. */
export function referenceNames(references: Iterable<{ name: string }>): string[] {
  const names = new Set<string>();
  for (const reference of references) names.add(reference.name);
  return [...names];
}

/**
 * Replaces each reference with what `resolver` returns for it. A reference the resolver
 * returns `undefined` for stays literal (the caller reports it). Non-vault `{{var}}`
 * tokens are never touched. Throws INVALID_REFERENCE on malformed references.
 */
export function replaceReferences(text: string, resolver: (reference: VaultReference) => string | undefined): string {
  const references = findReferences(text);
  if (references.length === 0) return text;
  const parts: string[] = [];
  let last = 0;
  for (const reference of references) {
    const value = resolver(reference);
    parts.push(text.slice(last, reference.start), value === undefined ? reference.raw : value);
    last = reference.end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** One INVALID_REFERENCE listing every problem; `path` (JSON path) or `where` prefixes each position. */
export function invalidReferenceError(problems: Array<ReferenceProblem & { path?: string }>, where?: string): VaultError {
  const issues: FieldIssue[] = problems.map((p) => ({
    field: `${p.path ?? where ?? 'text'} line ${p.line}, column ${p.column}`,
    problem: p.problem,
    expected: REFERENCE_EXPECTED,
  }));
  const count = problems.length === 1 ? 'a malformed vault reference' : `${problems.length} malformed vault references`;
  return new VaultError('INVALID_REFERENCE', `The text${where ? ` in ${where}` : ''} has ${count}.`, {
    issues,
    fix: 'write each reference as {{vault:NAME}} with the name of a secret from `vaultlink list`',
  });
}

function firstBrace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x7d) return i;
  }
  return -1;
}

function problemAt(text: string, start: number, problem: string): ReferenceProblem {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { start, line, column: start - lineStart + 1, problem };
}
