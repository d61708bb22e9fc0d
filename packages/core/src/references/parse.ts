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
import { SECRET_NAME_EXPECTED } from '../names.js';
import { scanSource, type ReferenceProblem, type ReferenceScan, type ScanStats, type VaultReference } from './scanner.js';

export { REFERENCE_PREFIX, REFERENCE_SUFFIX } from './scanner.js';
export type { ReferenceProblem, ReferenceScan, ScanStats, VaultReference } from './scanner.js';
export const REFERENCE_EXPECTED = `{{vault:NAME}} where NAME is ${SECRET_NAME_EXPECTED}`;

/** Finds every reference and every malformed one; never throws. Linear in the text's length. */
export function scanReferences(text: string, stats?: ScanStats): ReferenceScan {
  return scanSource({ text, name: (start, end) => ({ name: text.slice(start, end) }), columns: 'units' }, stats);
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
