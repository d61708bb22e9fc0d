/**
 * JSON Pointers (RFC 6901) into the value a provider selected: `/db/primary/password`.
 * Core owns them for every provider that offers `JSON_POINTER_FLAG`: `defineProvider` checks
 * the pointer when a link is made, and the engine applies it after `select`, so several
 * pointers into one document still cost one read.
 * Our own walk instead of a library's `get`: a miss must name the deepest existing parent and
 * the keys there (never the values), which a get-or-undefined API cannot say.
 */
import type { FlagSpec } from '../contract.js';
import { VaultError } from '../errors.js';
import type { FixFlags } from '../fixes.js';

/** The link field (camelCase of the flag) that holds the pointer; core owns it on every link. */
export const JSON_POINTER_FIELD = 'jsonPointer';

export const JSON_POINTER_EXPECTED =
  'a JSON Pointer (RFC 6901): "/" before each key, e.g. /db/primary/password; write "~1" for a "/" and "~0" for a "~" inside a key';

/** The link flag a provider lists to offer JSON Pointers into its values; core parses and applies it. */
export const JSON_POINTER_FLAG = {
  name: 'json-pointer',
  type: 'string',
  placeholder: 'POINTER',
  description: 'Select a value inside a JSON document with a JSON Pointer (RFC 6901), e.g. /db/primary/password.',
} as const satisfies FlagSpec;

/** The problem with `pointer` as a link's JSON Pointer, or undefined when it is valid. */
export function jsonPointerProblem(pointer: string): string | undefined {
  if (pointer === '') return 'is empty (that would be the whole document: leave the flag out instead)';
  if (!pointer.startsWith('/')) {
    const dotted = /^[^/~]+(?:\.[^/.~]+)+$/.test(pointer) ? `; did you mean /${pointer.split('.').join('/')}?` : '';
    return `"${pointer}" does not start with "/"${dotted}`;
  }
  if (/~(?![01])/.test(pointer)) return `"${pointer}" has a "~" not followed by 0 or 1`;
  return undefined;
}

/** The reference tokens of a valid pointer, unescaped (`~1` → `/`, then `~0` → `~`). */
export function pointerTokens(pointer: string): string[] {
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A pointer to the first `count` tokens, escaped again; `/` alone stands for the document itself. */
function pointerOf(tokens: readonly string[], count: number): string {
  return count === 0
    ? '(the document itself)'
    : `/${tokens
        .slice(0, count)
        .map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/')}`;
}

export interface PointerContext {
  provider: string;
  /** The link's identifier from the provider's summary, to name the secret in messages. */
  identifier: string;
  /** The link's other flags, for a fix that says how to link it again (computed only on a miss). */
  relinkFlags?: () => FixFlags;
}

/**
 * The value at `pointer` inside `text` (JSON). Strings come back as stored; numbers, booleans,
 * null, arrays and objects as their JSON text. Errors never quote the document or a value.
 */
export function selectJsonPointer(text: string, pointer: string, context: PointerContext): string {
  let node: unknown;
  try {
    node = JSON.parse(text);
  } catch {
    // JSON.parse messages quote the input, i.e. the secret: report the fact only.
    throw new VaultError(
      'UNSUPPORTED_VALUE',
      `The value of ${context.identifier} is not JSON, so --json-pointer ${pointer} cannot select from it.`,
      {
        provider: context.provider,
        fix: {
          action: 'relink',
          provider: context.provider,
          flags: otherFlags(context),
          hint: 'without --json-pointer, or link a secret that holds JSON',
        },
        details: { identifier: context.identifier, jsonPointer: pointer },
      },
    );
  }
  const tokens = pointerTokens(pointer);
  for (let depth = 0; depth < tokens.length; depth++) {
    const token = tokens[depth]!;
    const next = child(node, token);
    if (!next.found) throw missing(context, pointer, tokens, depth, node);
    node = next.value;
  }
  return typeof node === 'string' ? node : JSON.stringify(node);
}

function child(node: unknown, token: string): { found: true; value: unknown } | { found: false } {
  if (Array.isArray(node)) {
    // RFC 6901: an array index is 0 or digits without a leading zero; "-" (past the end) never exists.
    if (!/^(?:0|[1-9][0-9]*)$/.test(token)) return { found: false };
    const index = Number(token);
    return index < node.length ? { found: true, value: node[index] } : { found: false };
  }
  if (typeof node === 'object' && node !== null && Object.hasOwn(node, token))
    return { found: true, value: (node as Record<string, unknown>)[token] };
  return { found: false };
}

/** KEY_NOT_FOUND naming the deepest existing parent and what is there: its keys, its length or its type. */
function missing(context: PointerContext, pointer: string, tokens: readonly string[], depth: number, parent: unknown): VaultError {
  const at = pointerOf(tokens, depth);
  const token = tokens[depth]!;
  let there: string;
  let availableKeys: string[] | undefined;
  if (Array.isArray(parent)) {
    there = `${at} is an array of ${parent.length} item(s), so "${token}" is not an index in it${parent.length ? ` (0 to ${parent.length - 1})` : ''}.`;
  } else if (typeof parent === 'object' && parent !== null) {
    availableKeys = Object.keys(parent).sort();
    there = `${at} has no key "${token}". Keys there: ${availableKeys.length ? availableKeys.join(', ') : '(none)'}.`;
  } else {
    there = `${at} is ${parent === null ? 'null' : `a ${typeof parent}`}, not an object or array, so it has no "${token}".`;
  }
  const suggestion = availableKeys?.length
    ? `${at === '(the document itself)' ? '' : at}/${availableKeys[0]!.replace(/~/g, '~0').replace(/\//g, '~1')}`
    : undefined;
  return new VaultError('KEY_NOT_FOUND', `${context.identifier} has nothing at --json-pointer ${pointer}: ${there}`, {
    provider: context.provider,
    fix: {
      action: 'relink',
      provider: context.provider,
      flags: { ...otherFlags(context), 'json-pointer': suggestion ?? 'POINTER' },
      hint: availableKeys?.length ? 'a pointer through the keys listed' : 'a pointer to a value that exists',
    },
    details: { identifier: context.identifier, jsonPointer: pointer, deepestParent: at, ...(availableKeys ? { availableKeys } : {}) },
  });
}

function otherFlags(context: PointerContext): FixFlags {
  const { 'json-pointer': _pointer, ...rest } = context.relinkFlags?.() ?? {};
  return rest;
}
