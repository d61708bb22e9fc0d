/**
 * `defineProvider`: the way to build a provider. It fills in the contract version and the
 * defaults, turns `parseLink` into a function over typed field readers (derived from the
 * link flags: trimmed text, choices checked, unknown fields and every problem reported in
 * one INVALID_LINK), fails reads and describes whose signal is already aborted with ABORTED, and
 * validates the result, so a broken provider fails where it is built.
 */
import {
  PROVIDER_CONTRACT_VERSION,
  type CallOptions,
  type FlagSpec,
  type LinkFlags,
  type LinkSummary,
  type Provider,
  type ProviderCapabilities,
  type ProviderFields,
  type Session,
} from '../contract.js';
import { VaultError, isVaultError } from '../errors.js';
import { stableStringify } from '../vault/link-key.js';
import { JSON_POINTER_EXPECTED, JSON_POINTER_FIELD, JSON_POINTER_FLAG, jsonPointerProblem } from '../engine/json-pointer.js';
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
  const { capabilities, flags, parseLink, documentKey, summarize, readDocument, readBatch, describe, linkFlags, ...rest } = definition;
  const pointers = flags.link.some((spec) => spec.name === JSON_POINTER_FLAG.name);
  const documentKeyOf = documentKey ?? ((link: Link) => stableStringify(link));
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
    parseLink: (fields: ProviderFields) => parseWith(definition.id, definition.displayName, flags.link, parseLink, fields, pointers),
    // The JSON Pointer is applied after the read: links that differ only in it share one document.
    documentKey: pointers ? (link: Link) => documentKeyOf(withoutPointer(link)) : documentKeyOf,
    summarize: pointers ? (link: Link) => withPointerSummary(link, summarize(link)) : summarize,
    ...(linkFlags ? { linkFlags: pointers ? (link: Link) => withPointerFlag(link, linkFlags(withoutPointer(link))) : linkFlags } : {}),
    readDocument: notIfAborted(definition.id, readDocument),
    ...(readBatch ? { readBatch: notIfAborted(definition.id, readBatch) } : {}),
    describe: notIfAborted(definition.id, describe),
  };
  const problems = validateProvider(provider);
  if (problems.length > 0) {
    throw new VaultError(
      'PROVIDER_INVALID',
      `The provider "${String(definition.id)}" does not meet provider contract v${PROVIDER_CONTRACT_VERSION}.`,
      {
        issues: problems,
        fix: { action: 'report', hint: 'fix the provider definition' },
      },
    );
  }
  return provider;
}

/**
 * The contract's rule that a call with an aborted signal fails with ABORTED before any upstream
 * call (the testkit checks it), kept here once instead of in every provider's read and describe.
 */
function notIfAborted<First, Data, Result>(
  id: string,
  call: (first: First, session: Session<Data>, options: CallOptions) => Promise<Result>,
): (first: First, session: Session<Data>, options: CallOptions) => Promise<Result> {
  return (first, session, options) =>
    options?.signal?.aborted
      ? Promise.reject(new VaultError('ABORTED', 'The call was cancelled before it started.', { provider: id }))
      : call(first, session, options);
}

function parseWith<Link, Flags extends readonly FlagSpec[]>(
  id: string,
  displayName: string,
  specs: Flags,
  parse: (fields: FieldReader<LinkFlagName<Flags>>) => Link,
  fields: ProviderFields,
  pointers: boolean,
): Link {
  const reader = readFields(specs, fields ?? {}, { what: `${id} links` });
  const pointer = pointers ? reader.text(JSON_POINTER_FLAG.name) : undefined;
  const problem = pointer === undefined ? undefined : jsonPointerProblem(pointer);
  let link: Link;
  try {
    link = parse(reader);
  } catch (error) {
    // A parser that trips over input it already reported as an issue: the issues explain it.
    if (reader.ok || isVaultError(error)) throw error;
    link = undefined as Link;
  }
  if (problem) reader.issue(JSON_POINTER_FLAG.name, problem, JSON_POINTER_EXPECTED);
  reader.throwIfAny('INVALID_LINK', `Invalid ${displayName} link.`, { provider: id });
  return pointer === undefined ? link : { ...link, [JSON_POINTER_FIELD]: pointer };
}

function withoutPointer<Link extends object>(link: Link): Link {
  if (!Object.hasOwn(link, JSON_POINTER_FIELD)) return link;
  const { [JSON_POINTER_FIELD]: _pointer, ...rest } = link as Record<string, unknown>;
  return rest as Link;
}

/** The provider's own flags for a link, plus the pointer core keeps on it. */
function withPointerFlag<Link extends object>(link: Link, flags: LinkFlags): LinkFlags {
  const pointer = (link as Record<string, unknown>)[JSON_POINTER_FIELD];
  return typeof pointer === 'string' ? { ...flags, [JSON_POINTER_FLAG.name]: pointer } : flags;
}

/** `list` and `show` print the pointer with the provider's own fields. */
function withPointerSummary<Link extends object>(link: Link, summary: LinkSummary): LinkSummary {
  const pointer = (link as Record<string, unknown>)[JSON_POINTER_FIELD];
  if (typeof pointer !== 'string') return summary;
  return { ...summary, extra: { ...summary.extra, jsonPointer: pointer } };
}
