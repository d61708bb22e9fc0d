/**
 * A stored link turned back into the `vaultlink link` flags that make it: the link's fields are
 * the camelCase of its provider's link flags (`role-arn` → `roleArn`), with text, numbers
 * (as text), switches and lists, unless the provider writes them itself (`linkFlags`, e.g. Azure's
 * `--id` from the parts it keeps). Link manifests hold links in this form, and fixes that say
 * "link again with ..." name every flag. `parseLink` of the result must give the same link back
 * (`linkFlagsOf` checks that), so a provider whose links do not follow the rule is reported,
 * never exported wrongly.
 */
import type { AnyProvider, FlagSpec, LinkFlags, ProviderFields } from '../contract.js';
import type { FixFlags } from '../fixes.js';
import { stableStringify } from '../vault/link-key.js';
import { fieldName } from './fields.js';

export type { LinkFlags } from '../contract.js';

export type LinkFlagsResult = { ok: true; flags: LinkFlags } | { ok: false; problem: string };

/** The flags that recreate `link` through `provider.parseLink`, or why there are none. */
export function linkFlagsOf(provider: AnyProvider, link: Record<string, unknown>): LinkFlagsResult {
  const write = provider.linkFlags?.bind(provider);
  const own = write ? providerLinkFlags(provider, write, link) : fieldFlags(provider, link);
  if (!own.ok) return own;
  const flags = own.flags;
  let again: object;
  try {
    again = provider.parseLink(fieldsOf(flags));
  } catch {
    return { ok: false, problem: `the ${provider.id} provider does not accept its flags again` };
  }
  if (stableStringify(again) !== stableStringify(link))
    return { ok: false, problem: `its flags give the ${provider.id} provider a different link` };
  return { ok: true, flags };
}

/** The provider's own `linkFlags`, kept to the flags it declares. */
function providerLinkFlags(
  provider: AnyProvider,
  write: (link: Record<string, unknown>) => LinkFlags,
  link: Record<string, unknown>,
): LinkFlagsResult {
  let flags: LinkFlags;
  try {
    flags = write(link);
  } catch {
    return { ok: false, problem: `the ${provider.id} provider cannot write this link as flags` };
  }
  const declared = new Set(provider.flags.link.map((spec) => spec.name));
  const unknown = Object.keys(flags).find((name) => !declared.has(name));
  return unknown
    ? { ok: false, problem: `the ${provider.id} provider wrote --${unknown}, which is not one of its link flags` }
    : { ok: true, flags };
}

/** The default: each field of the link is the camelCase of one link flag. */
function fieldFlags(provider: AnyProvider, link: Record<string, unknown>): LinkFlagsResult {
  const specs = new Map<string, FlagSpec>(provider.flags.link.map((spec) => [fieldName(spec.name), spec]));
  const flags: LinkFlags = {};
  for (const [key, value] of Object.entries(link)) {
    const spec = specs.get(key);
    if (!spec) return { ok: false, problem: `its field "${key}" is not the camelCase of a ${provider.id} link flag` };
    const flag = flagValue(spec, value);
    if (flag === null)
      return {
        ok: false,
        problem: `its field "${key}" holds a ${Array.isArray(value) ? 'list' : typeof value} that --${spec.name} (${spec.type}) cannot take`,
      };
    if (flag !== undefined) flags[spec.name] = flag;
  }
  return { ok: true, flags };
}

/** ProviderFields (camelCase keys) from flag values keyed by flag name. */
export function fieldsOf(flags: Readonly<LinkFlags>): ProviderFields {
  return Object.fromEntries(Object.entries(flags).map(([name, value]) => [fieldName(name), value]));
}

/** The flags of a fix that relinks `link`; lists become their first value, as a fix shows one command. */
export function relinkFlags(provider: AnyProvider, link: Record<string, unknown>): FixFlags {
  const result = linkFlagsOf(provider, link);
  if (!result.ok) return {};
  return Object.fromEntries(Object.entries(result.flags).map(([name, value]) => [name, Array.isArray(value) ? (value[0] ?? '') : value]));
}

/** undefined: leave the flag out (a switch that is off); null: the value does not fit the flag. */
function flagValue(spec: FlagSpec, value: unknown): string | true | string[] | undefined | null {
  if (value === undefined) return undefined;
  if (spec.type === 'boolean') return value === true ? true : value === false ? undefined : null;
  if (spec.type === 'list') return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
