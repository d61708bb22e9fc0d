/**
 * Reading links through a provider, the engine's half of contract v2: links are grouped by
 * `documentKey` so each document is read once, documents go to `readBatch` in chunks of
 * `maxBatchSize` within each `batchKey` (or one `readDocument` each), every call runs through the provider's gate
 * (concurrency, Retry-After, time bounds, cancellation), `select` picks each link's value and
 * the link's JSON Pointer, when it has one, is applied to that value.
 * One failing document fails only its own links; a batch refused with ACCESS_DENIED is read document by document.
 */
import type { AnyProvider, CallOptions, DocumentResult, FetchResult, Session } from '../contract.js';
import { VaultError } from '../errors.js';
import { throwIfAborted } from '../cache/abort.js';
import { toVaultError } from '../vault/error-mapping.js';
import { ProviderGate, type CallBounds } from './gate.js';
import { JSON_POINTER_FIELD, selectJsonPointer } from './json-pointer.js';
import { relinkFlags } from '../sdk/link-flags.js';

export interface ReadLinksOptions extends Partial<CallBounds> {
  signal?: AbortSignal;
  /** The provider's gate, shared by every read of one Vault. Default: a fresh one for this read. */
  gate?: ProviderGate;
}

interface DocumentGroup {
  link: object;
  outcome?: DocumentResult<unknown>;
}

/** A gate for `provider` with its declared concurrency (or `concurrency`). */
export function gateFor(provider: AnyProvider, options: Partial<CallBounds> & { concurrency?: number } = {}): ProviderGate {
  return new ProviderGate(provider.id, { ...options, concurrency: options.concurrency ?? provider.capabilities.concurrency });
}

/** One result per link, in order. Throws only ABORTED (the caller cancelled). */
export async function readLinks(
  provider: AnyProvider,
  links: readonly object[],
  session: Session,
  options: ReadLinksOptions = {},
): Promise<FetchResult[]> {
  throwIfAborted(options.signal);
  const gate = options.gate ?? gateFor(provider, options);
  const keys: Array<string | VaultError> = links.map((link) => {
    try {
      return provider.documentKey(link);
    } catch (error) {
      return toVaultError(error, provider.id);
    }
  });
  const groups = new Map<string, DocumentGroup>();
  links.forEach((link, i) => {
    const key = keys[i]!;
    if (typeof key === 'string' && !groups.has(key)) groups.set(key, { link });
  });

  const documents = [...groups.values()];
  const call = <T>(read: (o: CallOptions) => Promise<T>): Promise<T> => gate.run(read, options.signal);
  if (provider.readBatch) await readInBatches(provider, documents, session, call);
  else await Promise.all(documents.map((doc) => readOne(provider, doc, session, call)));
  // A cancelled read is cancelled as a whole, not a list of per-link failures.
  throwIfAborted(options.signal);

  return links.map((link, i): FetchResult => {
    const key = keys[i]!;
    if (typeof key !== 'string') return { ok: false, error: key };
    const outcome = groups.get(key)!.outcome!;
    if (!outcome.ok) return outcome;
    try {
      const selected = provider.select(link, outcome.document);
      const value = applyPointer(provider, link, selected.value);
      return selected.version === undefined ? { ok: true, value } : { ok: true, value, version: selected.version };
    } catch (error) {
      return { ok: false, error: toVaultError(error, provider.id) };
    }
  });
}

/** `select` then the link's JSON Pointer, if it has one (core's field on every link). */
function applyPointer(provider: AnyProvider, link: object, value: string): string {
  const pointer = (link as Record<string, unknown>)[JSON_POINTER_FIELD];
  if (typeof pointer !== 'string') return value;
  return selectJsonPointer(value, pointer, {
    provider: provider.id,
    identifier: identifierOf(provider, link),
    relinkFlags: () => relinkFlags(provider, link as Record<string, unknown>),
  });
}

function identifierOf(provider: AnyProvider, link: object): string {
  try {
    return provider.summarize(link).identifier;
  } catch {
    return `the ${provider.id} secret`;
  }
}

type Call = <T>(read: (o: CallOptions) => Promise<T>) => Promise<T>;

async function readOne(provider: AnyProvider, doc: DocumentGroup, session: Session, call: Call): Promise<void> {
  try {
    doc.outcome = { ok: true, document: await call((o) => provider.readDocument(doc.link, session, o)) };
  } catch (error) {
    doc.outcome = { ok: false, error: toVaultError(error, provider.id) };
  }
}

/** Documents grouped by `batchKey`, each group cut into chunks of maxBatchSize; a chunk of one is a plain read. */
async function readInBatches(provider: AnyProvider, documents: DocumentGroup[], session: Session, call: Call): Promise<void> {
  const size = provider.capabilities.maxBatchSize ?? documents.length;
  const byBatchKey = new Map<string, DocumentGroup[]>();
  for (const doc of documents) {
    let key: string;
    try {
      key = provider.batchKey ? provider.batchKey(doc.link) : '';
    } catch (error) {
      doc.outcome = { ok: false, error: toVaultError(error, provider.id) };
      continue;
    }
    const list = byBatchKey.get(key) ?? [];
    list.push(doc);
    byBatchKey.set(key, list);
  }
  const chunks: DocumentGroup[][] = [];
  for (const list of byBatchKey.values()) for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  await Promise.all(
    chunks.map(async (chunk) => {
      // A batch API often needs more permission than a plain read: one document is read plainly.
      if (chunk.length === 1) return readOne(provider, chunk[0]!, session, call);
      try {
        const results = await call((o) =>
          provider.readBatch!(
            chunk.map((d) => d.link),
            session,
            o,
          ),
        );
        if (!Array.isArray(results) || results.length !== chunk.length) {
          throw new VaultError(
            'PROVIDER_INVALID',
            `The ${provider.id} provider's readBatch returned ${Array.isArray(results) ? results.length : 'no'} results for ${chunk.length} documents.`,
            {
              provider: provider.id,
              fix: { action: 'report', hint: 'readBatch must return one result per link, in order' },
            },
          );
        }
        chunk.forEach((doc, i) => {
          const result = results[i]!;
          doc.outcome = result?.ok ? result : { ok: false, error: toVaultError(result?.error ?? new Error('missing result'), provider.id) };
        });
      } catch (error) {
        const mapped = toVaultError(error, provider.id);
        // A batch refused as a whole may need a permission the caller lacks (AWS BatchGetSecretValue), or be refused
        // for one document the caller may not read (AWS SSM GetParameters): each document then gets its own answer.
        if (mapped.code === 'ACCESS_DENIED') {
          await Promise.all(chunk.map((doc) => readOne(provider, doc, session, call)));
          return;
        }
        for (const doc of chunk) doc.outcome = { ok: false, error: mapped };
      }
    }),
  );
}
