/**
 * A provider form posted by the page, turned into ProviderFields with the meaning the CLI gives
 * the same flags: core's `readFlagValues` owns those rules (empty means absent, the spec's
 * environment variable from the environment `vaultlink ui` ran in, lists one value per line or
 * comma, choices checked). The page's own rule: a key no flag declares is refused. Every bad
 * field is reported at once, named as the flag (or as the environment variable it came from).
 */
import { IssueList, fieldName, readFlagValues, type FlagSpec, type ProviderFields } from '@vault/core';

export function formToFields(specs: readonly FlagSpec[], form: unknown, env: Readonly<Record<string, string | undefined>>): ProviderFields {
  const given = form && typeof form === 'object' && !Array.isArray(form) ? (form as Record<string, unknown>) : {};
  const issues = new IssueList();
  const known = new Set(specs.map((spec) => fieldName(spec.name)));
  for (const key of Object.keys(given))
    if (!known.has(key)) issues.add(key, 'is not a field of this provider', `one of ${[...known].join(', ') || '(none)'}`);
  const fields = readFlagValues(specs, (spec) => ({ value: given[fieldName(spec.name)], field: spec.name }), env, issues);
  issues.throwIfAny('INVALID_INPUT', 'Invalid provider options.');
  return fields;
}
