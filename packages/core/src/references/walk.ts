/**
 * Finds references inside JSON values and Postman files (collection v2.1, environment,
 * globals). The walk is generic, so no variable-bearing place is missed; each hit is
 * labelled with where it sits so callers can treat scripts (code, which Postman does not
 * substitute) and saved examples (never sent) differently from request parts.
 */
import { VaultError } from '../errors.js';
import { invalidReferenceError, scanReferences, type ReferenceProblem, type VaultReference } from './parse.js';

export type ReferenceContext =
  | 'url'
  | 'query'
  | 'path-variable'
  | 'header'
  | 'body'
  | 'auth'
  | 'variable'
  | 'script'
  | 'proxy'
  | 'certificate'
  | 'example'
  | 'description'
  | 'info'
  | 'other';

export interface LocatedReference extends VaultReference {
  /** JSON path of the string holding the reference, e.g. `$.item[0].request.header[1].value`. */
  path: string;
  /** True when the reference is in an object key rather than a value. */
  inKey: boolean;
  context: ReferenceContext;
  /** Scripts are code: Postman does not substitute there; `pm.vault.get` reads secrets instead. */
  inScript: boolean;
  /** Inside something Postman ignores: a header/param/variable with `disabled: true` or an environment value with `enabled: false`. */
  disabled: boolean;
}

export interface LocatedProblem extends ReferenceProblem {
  path: string;
  context: ReferenceContext;
}

export interface WalkResult {
  references: LocatedReference[];
  problems: LocatedProblem[];
}

export interface WalkOptions {
  /**
   * `throw` (default): malformed references outside scripts throw INVALID_REFERENCE.
   * `collect`: return them in `problems`. Problems in scripts never throw: script text
   * may build `{{vault:` strings that are not references.
   */
  problems?: 'throw' | 'collect';
}

export type PostmanDocumentKind = 'collection' | 'environment' | 'globals';

type Segment = string | number;

/** Every reference in any JSON value (strings and object keys, at any depth). */
export function findReferencesInJson(value: unknown, options: WalkOptions = {}): WalkResult {
  return finish(
    walk(value, () => 'other'),
    options,
  );
}

/** Every reference in a Postman collection v2.1 (requests, auth, variables, scripts, examples). */
export function findReferencesInCollection(collection: unknown, options: WalkOptions = {}): WalkResult {
  if (!isObject(collection)) throw notA('collection', 'a Postman collection v2.1 JSON object with `info` and `item`');
  return finish(walk(collection, collectionContext), options);
}

/** Every reference in a Postman environment or globals file (`values[].value`). */
export function findReferencesInEnvironment(environment: unknown, options: WalkOptions = {}): WalkResult {
  if (!isObject(environment) || !Array.isArray(environment['values'])) {
    throw notA('environment', 'a Postman environment or globals JSON object with a `values` array');
  }
  return finish(walk(environment, environmentContext), options);
}

/** Tells a collection from an environment or globals export. */
export function detectPostmanDocument(value: unknown): PostmanDocumentKind | undefined {
  if (!isObject(value)) return undefined;
  const scope = value['_postman_variable_scope'];
  if (scope === 'globals') return 'globals';
  if (scope === 'environment') return 'environment';
  const info = value['info'];
  if (Array.isArray(value['item']) || (isObject(info) && typeof info['schema'] === 'string' && info['schema'].includes('collection'))) {
    return 'collection';
  }
  if (Array.isArray(value['values'])) return 'environment';
  return undefined;
}

/** Dispatches on the document kind; plain JSON that is none of them is walked generically. */
export function findReferencesInPostmanFile(
  value: unknown,
  options: WalkOptions = {},
): WalkResult & { kind: PostmanDocumentKind | 'json' } {
  const kind = detectPostmanDocument(value);
  if (kind === 'collection') return { kind, ...findReferencesInCollection(value, options) };
  if (kind === 'environment' || kind === 'globals') return { kind, ...findReferencesInEnvironment(value, options) };
  return { kind: 'json', ...findReferencesInJson(value, options) };
}

function walk(root: unknown, classify: (segments: Segment[]) => ReferenceContext): WalkResult {
  const result: WalkResult = { references: [], problems: [] };
  const visit = (value: unknown, segments: Segment[], disabled: boolean): void => {
    if (typeof value === 'string') {
      collect(value, segments, false, disabled);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...segments, index], disabled));
    } else if (isObject(value)) {
      const off = disabled || value['disabled'] === true || value['enabled'] === false;
      for (const [key, child] of Object.entries(value)) {
        collect(key, [...segments, key], true, off);
        visit(child, [...segments, key], off);
      }
    }
  };
  const collect = (text: string, segments: Segment[], inKey: boolean, disabled: boolean): void => {
    if (!text.includes('{{vault:')) return;
    const scan = scanReferences(text);
    const context = classify(segments);
    const path = formatPath(segments);
    for (const reference of scan.references) {
      result.references.push({ ...reference, path, inKey, context, inScript: context === 'script', disabled });
    }
    for (const problem of scan.problems) result.problems.push({ ...problem, path, context });
  };
  visit(root, [], false);
  return result;
}

function finish(result: WalkResult, options: WalkOptions): WalkResult {
  if ((options.problems ?? 'throw') === 'throw') {
    const fatal = result.problems.filter((p) => p.context !== 'script');
    if (fatal.length > 0) throw invalidReferenceError(fatal, 'the document');
  }
  return result;
}

function collectionContext(segments: Segment[]): ReferenceContext {
  const keys = segments.filter((s): s is string => typeof s === 'string');
  if (keys.includes('event')) return 'script';
  if (keys.includes('response')) return 'example';
  if (keys.at(-1) === 'description' || keys.includes('description')) return 'description';
  if (keys.includes('auth')) return 'auth';
  const requestAt = keys.indexOf('request');
  if (requestAt >= 0) {
    const part = keys[requestAt + 1];
    if (part === undefined || part === 'url') {
      const sub = keys[requestAt + 2];
      if (sub === 'query') return 'query';
      if (sub === 'variable') return 'path-variable';
      return 'url';
    }
    if (part === 'header') return 'header';
    if (part === 'body') return 'body';
    if (part === 'proxy') return 'proxy';
    if (part === 'certificate') return 'certificate';
    return 'other';
  }
  if (keys.includes('variable')) return 'variable';
  if (keys[0] === 'info') return 'info';
  return 'other';
}

function environmentContext(segments: Segment[]): ReferenceContext {
  return segments[0] === 'values' ? 'variable' : 'other';
}

function formatPath(segments: Segment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notA(what: string, expected: string): VaultError {
  return new VaultError('INVALID_INPUT', `The input is not a Postman ${what}.`, {
    issues: [{ field: '$', problem: `not a Postman ${what}`, expected }],
  });
}
