/**
 * Shared state of one suite run: fixtures (seeded once), a fresh provider and session per
 * test, the upstream call counter, and every error the suite saw (for the redaction group).
 */
import { readLinks, type AnyProvider, type FetchResult, type Session } from '@vault/core/provider';
import type { ConformanceFixtures, ConformanceGroup, ConformanceOptions, TestApi } from './types.js';

/** What a VaultError looks like, whichever copy of @vault/core made it. */
export interface ErrorLike {
  name?: string;
  code?: string;
  message: string;
  stack?: string;
  issues?: Array<{ field: string; problem: string; expected: string }>;
  toJSON?: () => unknown;
}

export class Harness {
  readonly errors: unknown[] = [];
  /** Documents the engine asked the provider for in the last `fetch` (readDocument calls + links passed to readBatch). */
  documentsRead = 0;
  private fixturesPromise: Promise<ConformanceFixtures> | undefined;

  constructor(
    readonly test: TestApi,
    readonly options: ConformanceOptions,
  ) {}

  fixtures(): Promise<ConformanceFixtures> {
    this.fixturesPromise ??= this.options.fixtures();
    return this.fixturesPromise;
  }

  async provider(): Promise<AnyProvider> {
    return this.options.createProvider();
  }

  /** A provider, a valid session, and the call counter reset after signing in. */
  async connected(): Promise<{ provider: AnyProvider; session: Session }> {
    const provider = await this.provider();
    const session = await this.options.createSession(provider);
    await this.options.upstreamCalls?.reset();
    return { provider, session };
  }

  /** Upstream calls since the last reset; fails clearly when the suite was given no counter. */
  async upstreamCount(group: ConformanceGroup): Promise<number> {
    const counter = this.options.upstreamCalls;
    if (!counter) {
      throw new Error(
        `The ${group} group counts upstream calls: pass options.upstreamCalls, or skip.${group} with the reason it cannot be counted.`,
      );
    }
    return counter.count();
  }

  /**
   * Reads links the way vaultlink does (core's engine: one read per document, batches of
   * maxBatchSize, the provider's select) and records every per-link error.
   */
  async fetch(
    provider: AnyProvider,
    links: object[],
    session: Session,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<FetchResult[]> {
    this.documentsRead = 0;
    // Count what the provider is asked to read, whatever its upstream counter sees.
    const counted: AnyProvider = Object.assign(Object.create(provider) as AnyProvider, {
      readDocument: (link: object, s: Session, call: never) => {
        this.documentsRead++;
        return provider.readDocument(link, s, call);
      },
      ...(provider.readBatch
        ? {
            readBatch: (batch: readonly object[], s: Session, call: never) => {
              this.documentsRead += batch.length;
              return provider.readBatch!(batch, s, call);
            },
          }
        : {}),
    });
    try {
      const results = await readLinks(counted, links, session, {
        signal,
        ...(this.options.timeoutMs ? { totalTimeoutMs: this.options.timeoutMs } : {}),
      });
      for (const result of results) if (!result.ok) this.errors.push(result.error);
      return results;
    } catch (error) {
      this.errors.push(error);
      throw error;
    }
  }

  /** Runs `action`; returns the error it threw (recorded), or undefined. */
  async caught(action: () => unknown): Promise<ErrorLike | undefined> {
    try {
      await action();
      return undefined;
    } catch (error) {
      this.errors.push(error);
      return error as ErrorLike;
    }
  }

  /**
   * Registers a test of `group`. A group in `skip` is not registered at all: the reason stays in the
   * calling test file, which says where that behaviour is proved instead (a run reports no skips).
   */
  it(group: ConformanceGroup, name: string, body: () => Promise<void>): void {
    if (this.options.skip?.[group]) return;
    const timeout = this.options.timeoutMs;
    if (timeout === undefined) this.test.it(name, body);
    else this.test.it(name, body, timeout);
  }
}

/** The code of a VaultError (from any copy of core), or of a runtime abort. */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; code?: unknown };
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return 'ABORTED';
  return typeof e.code === 'string' ? e.code : undefined;
}

export function isVaultErrorLike(error: unknown): error is ErrorLike {
  return error instanceof Error && error.name === 'VaultError' && typeof (error as ErrorLike).code === 'string';
}

/** The code of a fetch outcome: the per-link error's, or the thrown error's. */
export async function fetchOutcomeCode(
  harness: Harness,
  provider: AnyProvider,
  links: object[],
  session: Session,
  signal?: AbortSignal,
): Promise<Array<string | undefined>> {
  try {
    const results = await harness.fetch(provider, links, session, signal);
    return results.map((r) => (r.ok ? 'OK' : codeOf(r.error)));
  } catch (error) {
    return links.map(() => codeOf(error));
  }
}

export function values(fixtures: ConformanceFixtures): string[] {
  const all = [
    fixtures.latest.value,
    fixtures.pinned?.value,
    fixtures.pinned?.latestOfSameSecret.value,
    ...fixtures.sameDocument.map((f) => f.value),
    ...fixtures.distinct.map((f) => f.value),
  ];
  return [...new Set(all.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}
