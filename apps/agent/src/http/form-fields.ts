/**
 * A provider form posted by the page, turned into ProviderFields with the meaning the CLI
 * gives the same flags: empty means absent, an absent flag takes its spec's environment
 * variable (from the environment `vaultlink ui` ran in), lists are one value per line or
 * comma, choices are checked. Every bad field is reported at once, named as the flag.
 */
import { IssueList, fieldName, type FlagSpec, type ProviderFields } from '@vault/core';

export function formToFields(specs: readonly FlagSpec[], form: unknown, env: Readonly<Record<string, string | undefined>>): ProviderFields {
  const given = form && typeof form === 'object' && !Array.isArray(form) ? (form as Record<string, unknown>) : {};
  const issues = new IssueList();
  const known = new Set(specs.map((spec) => fieldName(spec.name)));
  for (const key of Object.keys(given)) if (!known.has(key)) issues.add(key, 'is not a field of this provider', `one of ${[...known].join(', ') || '(none)'}`);
  const fields: ProviderFields = {};
  for (const spec of specs) {
    const key = fieldName(spec.name);
    let value = readValue(spec, given[key], issues);
    if (value === undefined && spec.env) value = readValue(spec, env[spec.env], issues);
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    for (const v of values) if (spec.choices?.length && !spec.choices.includes(v)) issues.add(spec.name, `"${v}" is not allowed`, `one of ${spec.choices.join(', ')}`);
    fields[key] = value;
  }
  issues.throwIfAny('INVALID_INPUT', 'Invalid provider options.');
  return fields;
}

function readValue(spec: FlagSpec, raw: unknown, issues: IssueList): string | boolean | string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (spec.type === 'boolean') {
    if (typeof raw === 'boolean') return raw || undefined;
    const text = String(raw).trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(text)) return true;
    if (['0', 'false', 'no', 'off'].includes(text)) return undefined;
    issues.add(spec.name, `"${String(raw)}" is not a yes/no value`, 'checked or not');
    return undefined;
  }
  if (spec.type === 'list') {
    const items = (Array.isArray(raw) ? raw.map(String) : String(raw).split(/[\n,]/)).map((s) => s.trim()).filter(Boolean);
    return items.length ? items : undefined;
  }
  if (typeof raw !== 'string') {
    issues.add(spec.name, 'must be text', spec.placeholder ?? 'a value');
    return undefined;
  }
  const text = raw.trim();
  return text === '' ? undefined : text;
}
