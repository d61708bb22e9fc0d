/**
 * Micro-batching (the DataLoader pattern): requests made within one tick are collected,
 * grouped by document, split into chunks of at most `maxGroupsPerBatch` documents, and
 * each chunk is handed to `run` once. Links of one document always share a chunk, so a
 * provider can serve them with one upstream read.
 */
import { VaultError } from '../errors.js';
import { abortedError, allAborted } from './abort.js';

export type BatchResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface BatcherOptions<I, O> {
  /** Called once per chunk; returns one result per item, same order. */
  run: (items: I[], signal: AbortSignal) => Promise<BatchResult<O>[]>;
  /** Documents per chunk; undefined means no limit. */
  maxGroupsPerBatch?: number;
  /** When to flush what was collected. Default: after pending promise callbacks, on the next tick. */
  schedule?: (flush: () => void) => void;
}

interface Pending<I, O> {
  item: I;
  group: string;
  signal: AbortSignal;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export const nextTick = (flush: () => void): void => {
  // Like DataLoader: let every promise callback queued so far enqueue its request first.
  void Promise.resolve().then(() => process.nextTick(flush));
};

export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private readonly schedule: (flush: () => void) => void;

  constructor(private readonly options: BatcherOptions<I, O>) {
    this.schedule = options.schedule ?? nextTick;
  }

  load(item: I, group: string, signal: AbortSignal): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, group, signal, resolve, reject });
      if (this.queue.length === 1) this.schedule(() => this.flush());
    });
  }

  private flush(): void {
    const pending = this.queue;
    this.queue = [];
    const live: Pending<I, O>[] = [];
    for (const p of pending) {
      if (p.signal.aborted) p.reject(abortedError(p.signal.reason));
      else live.push(p);
    }
    for (const chunk of chunkByGroup(live, this.options.maxGroupsPerBatch)) void this.runChunk(chunk);
  }

  private async runChunk(chunk: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.options.run(
        chunk.map((p) => p.item),
        allAborted(chunk.map((p) => p.signal)),
      );
      if (!Array.isArray(results) || results.length !== chunk.length) {
        throw new VaultError(
          'PROVIDER_INVALID',
          `The provider returned ${Array.isArray(results) ? results.length : 'no'} results for ${chunk.length} links.`,
          {
            fix: 'report this to the provider package: fetch must return one result per link',
          },
        );
      }
      chunk.forEach((p, i) => {
        const result = results[i]!;
        if (result.ok) p.resolve(result.value);
        else p.reject(result.error);
      });
    } catch (error) {
      for (const p of chunk) p.reject(error);
    }
  }
}

/** Packs items into chunks of at most `maxGroups` distinct groups, keeping each group whole. */
export function chunkByGroup<T extends { group: string }>(items: T[], maxGroups: number | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.group);
    if (list) list.push(item);
    else groups.set(item.group, [item]);
  }
  const limit = maxGroups && maxGroups > 0 ? maxGroups : Number.POSITIVE_INFINITY;
  const chunks: T[][] = [];
  let current: T[] = [];
  let count = 0;
  for (const list of groups.values()) {
    if (count === limit) {
      chunks.push(current);
      current = [];
      count = 0;
    }
    current.push(...list);
    count++;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
