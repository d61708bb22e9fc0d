/**
 * `defineProvider`: the way to build a provider. It fills in the contract version and the
 * defaults, turns `parseLink` into a function over typed field readers (derived from the
 * link flags: trimmed text, choices checked, unknown fields and every problem reported in
 * one INVALID_LINK), and validates the result, so a broken provider fails where it is built.
 */
import {
  PROVIDER_CONTRACT_VERSION,
  type FlagSpec,
  type Provider,
  type ProviderCapabilities,
  type ProviderFields,
} from '../contract.js';
import { VaultError, isVaultError } from '../errors.js';
import { stableStringify } from '../vault/link-key.js';
import { readFields, type FieldReader } from './fields.js';
import { validateProvider } from './validate.js';

/** Upstream calls in flight at once when a provider does not say. */
export const DEFAULT_PROVIDER_CONCURRENCY = 16;

type LinkFlagName<Flags extends readonly FlagSpec[]> = Flags[number]['name'];

export type ProviderDefinition<Link extends object, Data, Doc, LinkFlags extends readonly FlagSpec[]> = Omit<
  Provider<Link, Data, Doc>,
  'contractVersion' | 'capabilities' | 'flags' | 'parseLink' | 'documentKey'
> & {
  /** Defaults: versions false, adminManagedSetup false, concurrency 16 (connectWithoutTeam, maxBatchSize: left out). */
  capabilities?: Partial<ProviderCapabilities>;
  flags: { link: LinkFlags; connect?: readonly FlagSpec[]; setup?: readonly FlagSpec[] };
  /**
   * Builds the link from the link flags. Read fields with `fields.text('role-arn')`,
   * `fields.required('arn', 'expected form')`, ...; record other problems with
   * `fields.issue(name, problem, expected)`. When any issue was recorded, the link you return
   * is dropped and one INVALID_LINK lists them all.
   */
  parseLink(fields: FieldReader<LinkFlagName<LinkFlags>>): Link;
  /** Links with the same key share one upstream read. @default the link's JSON (each link its own document) */
  documentKey?(link: Link): string;
};

export function defineProvider<Link extends object, Data, Doc, const LinkFlags extends readonly FlagSpec[]>(
  definition: ProviderDefinition<Link, Data, Doc, LinkFlags>,
): Provider<Link, Data, Doc> {
  const { capabilities, flags, parseLink, documentKey, ...rest } = definition;
  const provider: Provider<Link, Data, Doc> = {
    ...rest,
    contractVersion: PROVIDER_CONTRACT_VERSION,
    capabilities: {
      versions: capabilities?.versions ?? false,
      adminManagedSetup: capabilities?.adminManagedSetup ?? false,
      concurrency: capabilities?.concurrency ?? DEFAULT_PROVIDER_CONCURRENCY,
      ...(capabilities?.maxBatchSize !== undefined ? { maxBatchSize: capabilities.maxBatchSize } : {}),
      ...(capabilities?.connectWithoutTeam !== undefined ? { connectWithoutTeam: capabilities.connectWithoutTeam } : {}),
    },
    flags: { link: flags.link, connect: flags.connect ?? [], ...(flags.setup ? { setup: flags.setup } : {}) },
    parseLink: (fields: ProviderFields) => parseWith(definition.id, definition.displayName, flags.link, parseLink, fields),
    documentKey: documentKey ?? ((link: Link) => stableStringify(link)),
  };
  const problems = validateProvider(provider);
  if (problems.length > 0) {
    throw new VaultError('PROVIDER_INVALID', `The provider "${String(definition.id)}" does not meet provider contract v${PROVIDER_CONTRACT_VERSION}.`, {
      issues: problems,
      fix: { action: 'report', hint: 'fix the provider definition' },
    });
  }
  return provider;
}

function parseWith<Link, Flags extends readonly FlagSpec[]>(
  id: string,
  displayName: string,
  specs: Flags,
  parse: (fields: FieldReader<LinkFlagName<Flags>>) => Link,
  fields: ProviderFields,
): Link {
  const reader = readFields(specs, fields ?? {}, { what: `${id} links` });
  let link: Link;
  try {
    link = parse(reader);
  } catch (error) {
    // A parser that trips over input it already reported as an issue: the issues explain it.
    if (reader.ok || isVaultError(error)) throw error;
    link = undefined as Link;
  }
  reader.throwIfAny('INVALID_LINK', `Invalid ${displayName} link.`, { provider: id });
  return link;
}
