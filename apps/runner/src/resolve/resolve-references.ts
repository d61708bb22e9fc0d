/**
 * Resolves every name of a run in ONE call to core (which batches per provider,
 * de-duplicates and uses the cache), and sorts the outcome into values for the vault
 * scope and unresolved references for the report. Never throws for one bad name.
 */
import type { Fix, Resolution, UnresolvedReason, VaultApi } from '@vault/core';
import { describeFix } from '../messages.js';
import type { CollectedReferences } from '../references/collect.js';
import type { ScopeSecret } from '../engine/vault-scope.js';

export interface UnresolvedReference {
  name: string;
  reason: UnresolvedReason | 'malformed';
  code: string;
  message: string;
  fix?: Fix;
  /** Whether it appears where it is sent (fails `--fail-on-unresolved`) or only in scripts. */
  required: boolean;
  places: string[];
}

export interface ResolvedReferences {
  secrets: ScopeSecret[];
  unresolved: UnresolvedReference[];
}

export interface ResolveOptions {
  /** Names resolved in addition (e.g. local secrets a script may read); never reported. */
  extra?: readonly string[];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export async function resolveReferences(
  vault: VaultApi,
  references: CollectedReferences,
  options: ResolveOptions = {},
): Promise<ResolvedReferences> {
  const reported = new Set([...references.required.keys(), ...references.optional.keys()]);
  const names = [...new Set([...reported, ...(options.extra ?? [])])];
  const resolutions: Map<string, Resolution> =
    names.length > 0 ? await vault.resolveNames(names, { signal: options.signal, onProgress: options.onProgress }) : new Map();
  const secrets: ScopeSecret[] = [];
  const unresolved: UnresolvedReference[] = [];
  for (const name of names) {
    const resolution = resolutions.get(name);
    if (resolution?.ok) {
      secrets.push({ name, value: resolution.value, allowedDomains: resolution.allowedDomains, linked: resolution.source === 'linked' });
      continue;
    }
    if (!reported.has(name)) continue;
    const required = references.required.has(name);
    const places = (required ? references.required.get(name) : references.optional.get(name)) ?? [];
    unresolved.push(
      resolution
        ? { name, reason: resolution.reason, code: resolution.code, message: resolution.message, fix: resolution.fix, required, places }
        : { name, reason: 'error', code: 'INTERNAL', message: 'core returned no result for this name', required, places },
    );
  }
  for (const problem of references.problems) {
    unresolved.push({ name: '', reason: 'malformed', code: 'INVALID_REFERENCE', message: problem, required: true, places: [] });
  }
  return { secrets, unresolved };
}

/** One line per unresolved reference: name, reason, what core said, and the fix. */
export function formatUnresolved(unresolved: readonly UnresolvedReference[], renderFix: (fix: Fix) => string = describeFix): string[] {
  return unresolved.map((entry) => {
    if (entry.reason === 'malformed') return `  - malformed reference in ${entry.message}`;
    const where = entry.places.length > 0 ? ` (in ${entry.places.join('; ')})` : '';
    const fix = entry.fix ? ` Fix: ${renderFix(entry.fix)}` : '';
    return `  - {{vault:${entry.name}}}: ${entry.reason}: ${firstLine(entry.message)}${fix}${where}`;
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
