/**
 * Convenience for apps: resolve every `{{vault:NAME}}` in a text through a VaultApi and
 * substitute the values. Unresolved references stay literal and are returned by name
 * and reason, so the caller can fail loudly (the CLI exits 4).
 */
import { findReferences, referenceNames, replaceReferences } from './references/parse.js';
import type { Resolution, VaultApi } from './vault-api.js';

export type FailedResolution = Extract<Resolution, { ok: false }>;

export interface ResolvedText {
  text: string;
  /** Names resolved, in order of first appearance. */
  resolved: string[];
  unresolved: FailedResolution[];
  /** Values substituted, for a masker. Never print these. */
  values: string[];
}

export async function resolveText(
  vault: Pick<VaultApi, 'resolveNames'>,
  text: string,
  options: { signal?: AbortSignal } = {},
): Promise<ResolvedText> {
  const names = referenceNames(findReferences(text));
  const resolutions = names.length > 0 ? await vault.resolveNames(names, options) : new Map<string, Resolution>();
  const unresolved: FailedResolution[] = [];
  const values: string[] = [];
  const resolved: string[] = [];
  for (const name of names) {
    const resolution = resolutions.get(name)!;
    if (resolution.ok) {
      resolved.push(name);
      values.push(resolution.value);
    } else unresolved.push(resolution);
  }
  const output = replaceReferences(text, (reference) => {
    const resolution = resolutions.get(reference.name);
    return resolution?.ok ? resolution.value : undefined;
  });
  return { text: output, resolved, unresolved, values };
}
