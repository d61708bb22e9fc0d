/**
 * Typed readers over user input, derived from a provider's flag specs. One rule for every
 * provider: text is trimmed and empty means absent, `choices` are checked, a field no flag
 * declares is an issue, and every problem is collected (named by its flag) before one
 * error lists them all.
 */
import type { FlagSpec, ProviderFields } from '../contract.js';
import { IssueList, type VaultErrorOptions } from '../errors.js';

/** camelCase of a kebab-case flag name, as ProviderFields keys it (`role-arn` → `roleArn`). */
export function fieldName(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export interface FieldReader<Name extends string = string> {
  /** Trimmed text of a string flag, or undefined when absent. Blank text and unknown `choices` are issues. */
  text(name: Name): string | undefined;
  /** Like `text`, but a missing value is an issue (`is missing`, with `expected`). */
  required(name: Name, expected: string): string | undefined;
  /** A boolean switch (`true`/`"true"` are on). */
  flag(name: Name): boolean;
  /** Every value of a list flag, trimmed, blanks dropped. Checks `choices`. */
  list(name: Name): string[];
  /** Records a problem with a field (named by its flag, e.g. `role-arn`). */
  issue(name: Name | (string & {}), problem: string, expected: string): void;
  /** True when no issue was recorded so far. */
  readonly ok: boolean;
  /** Throws one VaultError listing every issue, if there are any. */
  throwIfAny(code: 'INVALID_LINK' | 'INVALID_INPUT', message: string, options?: Omit<VaultErrorOptions, 'issues'>): void;
  readonly issues: IssueList;
}

export interface ReadFieldsOptions {
  /** Fields no flag declares are issues ("is not a field of ..."). @default true */
  strict?: boolean;
  /** Names the input in that issue, e.g. `aws links`. */
  what?: string;
}

/** A reader over `fields`, checked against `specs`. */
export function readFields<const Specs extends readonly FlagSpec[]>(
  specs: Specs,
  fields: ProviderFields,
  options: ReadFieldsOptions = {},
): FieldReader<Specs[number]['name']> {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const issues = new IssueList();
  if (options.strict !== false) {
    const known = new Set(specs.map((spec) => fieldName(spec.name)));
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && !known.has(key)) {
        issues.add(kebab(key), `is not a field of ${options.what ?? 'this input'}`, `only ${specs.map((s) => s.name).join(', ')}`);
      }
    }
  }
  const raw = (name: string): unknown => fields[fieldName(name)];
  const checkChoice = (name: string, value: string): boolean => {
    const choices = byName.get(name)?.choices;
    if (!choices || choices.includes(value)) return true;
    issues.add(name, `"${value}" is not allowed`, `one of ${choices.join(', ')}`);
    return false;
  };
  const reader: FieldReader<string> = {
    text(name) {
      const value = raw(name);
      if (value === undefined || value === false) return undefined;
      if (typeof value !== 'string') {
        issues.add(name, Array.isArray(value) ? 'is given more than once' : 'is not text', 'a single value');
        return undefined;
      }
      const trimmed = value.trim();
      if (trimmed === '') {
        issues.add(name, 'is empty', 'a value, or no such flag at all');
        return undefined;
      }
      return checkChoice(name, trimmed) ? trimmed : undefined;
    },
    required(name, expected) {
      const given = raw(name) !== undefined && raw(name) !== false;
      const value = reader.text(name);
      if (value === undefined && !given) issues.add(name, 'is missing', expected);
      return value;
    },
    flag(name) {
      const value = raw(name);
      return value === true || value === 'true';
    },
    list(name) {
      const value = raw(name);
      if (value === undefined) return [];
      const values = (Array.isArray(value) ? value : [value])
        .filter((v): v is string => typeof v === 'string')
        .map((v) => v.trim())
        .filter(Boolean);
      return values.filter((v) => checkChoice(name, v));
    },
    issue(name, problem, expected) {
      issues.add(name, problem, expected);
    },
    get ok() {
      return issues.empty;
    },
    throwIfAny(code, message, errorOptions = {}) {
      issues.throwIfAny(code, message, errorOptions);
    },
    issues,
  };
  return reader;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
