/**
 * Finds the vault references of one run in what newman loaded: the collection (only the
 * `--folder` selection), environment, globals (with `--env-var`/`--global-var` applied)
 * and iteration data. Core's walkers do the finding; this decides what each hit means:
 * - request parts, variables and data are REQUIRED: they are sent, so an unresolved one
 *   fails `--fail-on-unresolved`;
 * - `{{vault:NAME}}` text inside scripts (e.g. a header a script adds) and names read with
 *   a literal `pm.vault.get("NAME")` are OPTIONAL: resolved, but only warned about;
 * - saved examples, descriptions and disabled entries are never sent: ignored.
 */
import {
  findReferencesInCollection,
  findReferencesInEnvironment,
  findReferencesInJson,
  type LocatedProblem,
  type LocatedReference,
  type WalkResult,
} from '@vault/core';
import { selectFolders } from './select-folders.js';

export interface ReferenceInput {
  collection: unknown;
  environment?: unknown;
  globals?: unknown;
  data?: unknown;
  folders?: readonly string[];
}

export interface CollectedReferences {
  /** Name → where it is used (first few places). */
  required: Map<string, string[]>;
  optional: Map<string, string[]>;
  /** Malformed references outside scripts; Postman leaves them literal. */
  problems: string[];
}

const IGNORED_CONTEXTS = new Set(['example', 'description', 'info']);
const MAX_PLACES = 3;
// pm.vault.get("NAME") / pm.vault.get('NAME') / pm.vault.get(`NAME`) with a literal name.
const SCRIPT_READ = /pm\.vault\.get\(\s*(['"`])([^'"`{}\n]+)\1\s*\)/g;

export function collectReferences(input: ReferenceInput): CollectedReferences {
  const result: CollectedReferences = { required: new Map(), optional: new Map(), problems: [] };
  const collection = selectFolders(toJson(input.collection) as Record<string, unknown>, input.folders ?? []);
  add(result, 'collection', findReferencesInCollection(collection, { problems: 'collect' }));
  for (const [label, scope] of [
    ['environment', input.environment],
    ['globals', input.globals],
  ] as const) {
    const json = toJson(scope);
    if (json && typeof json === 'object' && Array.isArray((json as { values?: unknown }).values)) {
      add(result, label, findReferencesInEnvironment(json, { problems: 'collect' }));
    }
  }
  const data = toJson(input.data);
  if (Array.isArray(data)) add(result, 'iteration data', findReferencesInJson(data, { problems: 'collect' }));
  for (const [name, place] of scriptReads(collection)) note(result.optional, name, place);
  return result;
}

function add(result: CollectedReferences, source: string, walk: WalkResult): void {
  for (const reference of walk.references) {
    if (reference.disabled || IGNORED_CONTEXTS.has(reference.context)) continue;
    note(reference.inScript ? result.optional : result.required, reference.name, `${source} ${placeOf(reference)}`);
  }
  for (const problem of walk.problems) {
    if (problem.context === 'script' || IGNORED_CONTEXTS.has(problem.context)) continue;
    result.problems.push(`${source} ${problemPlace(problem)}: ${problem.problem}`);
  }
}

function note(map: Map<string, string[]>, name: string, place: string): void {
  const places = map.get(name) ?? [];
  if (places.length < MAX_PLACES && !places.includes(place)) places.push(place);
  map.set(name, places);
}

function placeOf(reference: LocatedReference): string {
  return reference.path;
}

function problemPlace(problem: LocatedProblem): string {
  return `${problem.path} (line ${problem.line}, column ${problem.column})`;
}

function* scriptReads(collection: Record<string, unknown>): Generator<[string, string]> {
  const visit = function* (node: unknown, path: string): Generator<[string, string]> {
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) yield* visit(node[index], `${path}[${index}]`);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record['event'])) {
      for (const [index, event] of (record['event'] as unknown[]).entries()) {
        const exec = (event as { script?: { exec?: unknown } } | undefined)?.script?.exec;
        const source = Array.isArray(exec) ? exec.join('\n') : typeof exec === 'string' ? exec : '';
        for (const match of source.matchAll(SCRIPT_READ)) yield [match[2] as string, `collection ${path}.event[${index}] (pm.vault.get)`];
      }
    }
    if (Array.isArray(record['item'])) yield* visit(record['item'], `${path}.item`);
  };
  yield* visit(collection, '$');
}

/** postman-collection SDK objects (Collection, VariableScope) become their JSON. */
function toJson(value: unknown): unknown {
  if (value && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}
