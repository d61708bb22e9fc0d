/**
 * How a host reads what a person gave for a provider's flags (the CLI's argv and stdin, the web
 * UI's forms): one set of rules, so a flag means the same on every host. Empty means absent; an
 * absent flag takes its spec's environment variable; switches take yes/no words; a list given as
 * text is split on commas and new lines; `choices` are checked. Every problem is collected, named
 * by where the value came from (the host's name for the flag, or the environment variable).
 * Where values come from (argv, stdin, a form) and what else a host refuses stays with the host.
 */
import type { FlagSpec, ProviderFields } from '../contract.js';
import type { IssueList } from '../errors.js';
import { fieldName } from './fields.js';

/** A value a host read for one flag, and how an issue names it (`--role-arn` on the CLI, `role-arn` on a form). */
export interface GivenFlagValue {
  value: unknown;
  field: string;
}

type FlagValue = string | boolean | string[];

const YES = ['1', 'true', 'yes', 'on'];
const NO = ['0', 'false', 'no', 'off'];
const YES_NO = `${[...YES, ...NO].join(', ')} (or checked / not checked)`;

/**
 * ProviderFields from the host's values: `given(spec)` first, then `env[spec.env]`. Problems go
 * to `issues` (the host throws once it added its own); a field with a problem is left out.
 */
export function readFlagValues(
  specs: readonly FlagSpec[],
  given: (spec: FlagSpec) => GivenFlagValue,
  env: Readonly<Record<string, string | undefined>>,
  issues: IssueList,
): ProviderFields {
  const fields: ProviderFields = {};
  for (const spec of specs) {
    let value = readOne(spec, given(spec), issues);
    if (value === undefined && spec.env) value = readOne(spec, { value: env[spec.env], field: spec.env }, issues);
    if (value !== undefined) fields[fieldName(spec.name)] = value;
  }
  return fields;
}

/** One value by the spec's type, with `choices` checked; undefined when absent or refused. */
function readOne(spec: FlagSpec, given: GivenFlagValue, issues: IssueList): FlagValue | undefined {
  const value = byType(spec, given, issues);
  if (value === undefined || typeof value === 'boolean' || !spec.choices?.length) return value;
  const refused = (Array.isArray(value) ? value : [value]).filter((v) => !spec.choices!.includes(v));
  for (const v of refused) issues.add(given.field, `"${v}" is not allowed`, `one of ${spec.choices.join(', ')}`);
  return refused.length ? undefined : value;
}

function byType(spec: FlagSpec, { value: raw, field }: GivenFlagValue, issues: IssueList): FlagValue | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (spec.type === 'boolean') {
    // A switch left off (an unchecked box) is absent, so the environment can still turn it on.
    if (typeof raw === 'boolean') return raw || undefined;
    const word = String(raw).trim().toLowerCase();
    if (word === '') return undefined;
    if (YES.includes(word)) return true;
    if (NO.includes(word)) return false;
    issues.add(field, `"${String(raw)}" is not a yes/no value`, YES_NO);
    return undefined;
  }
  if (spec.type === 'list') {
    const texts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\n,]/) : undefined;
    if (!texts || texts.some((item) => typeof item !== 'string')) {
      issues.add(field, 'must be text', 'one value per line or comma');
      return undefined;
    }
    const items = (texts as string[]).map((item) => item.trim()).filter(Boolean);
    return items.length ? items : undefined;
  }
  if (typeof raw !== 'string') {
    issues.add(field, Array.isArray(raw) ? 'is given more than once' : 'must be text', spec.placeholder ?? 'a single value');
    return undefined;
  }
  const text = raw.trim();
  return text === '' ? undefined : text;
}
