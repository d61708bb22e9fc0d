/**
 * Sign-in and setup from the page. Connect, reauth, disconnect and setup can take minutes
 * (a browser sign-in waits for its redirect) and may ask the person things, so each one runs
 * as an operation: the page starts it, reads its events by long polling, and answers its
 * questions. The provider's ProviderIO is the agent's own `remoteIO` over this channel, the
 * same relay the CLI gets over the socket: `openBrowser` becomes a new tab in the page,
 * `prompt` a labelled field, and info/warn/progress lines in the page.
 */
import { randomBytes } from 'node:crypto';
import { VaultError, type ProviderIO, type VaultErrorJSON } from '@vault/core';
import type { IoCall } from '../shared/protocol.js';
import { serializeError } from '../shared/wire-errors.js';
import { remoteIO, type IoChannel } from '../server/remote-io.js';
import type { OperationEvent, OperationView } from './wire.js';

export type { OperationEvent, OperationView } from './wire.js';

/** Long polls answer at the latest after this long with whatever there is. */
const POLL_MS = 15_000;
/** Finished operations are kept this long for the page to read their outcome. */
const KEEP_DONE_MS = 5 * 60_000;
const MAX_OPERATIONS = 32;
const MAX_EVENTS = 500;

class Operation {
  readonly id = randomBytes(12).toString('base64url');
  readonly events: OperationEvent[] = [];
  done = false;
  finishedAt = 0;
  result: unknown;
  error: VaultErrorJSON | undefined;
  readonly controller = new AbortController();
  private nextSeq = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private wakers: Array<() => void> = [];

  constructor(
    readonly kind: string,
    readonly provider: string,
  ) {}

  io(env: Record<string, string | undefined>): ProviderIO {
    const channel: IoChannel = {
      ask: (call, args) =>
        new Promise((resolve, reject) => {
          const seq = this.push(eventFor(call, args));
          this.waiting.set(seq, { resolve, reject });
        }),
      tell: (call, message) => void this.push({ type: call, message: String(message) }),
    };
    return remoteIO({ interactive: true, noBrowser: false, env }, channel);
  }

  answer(seq: number, value: unknown): boolean {
    const entry = this.waiting.get(seq);
    if (!entry) return false;
    this.waiting.delete(seq);
    entry.resolve(value);
    return true;
  }

  cancel(): void {
    this.controller.abort();
    const error = new VaultError('ABORTED', `The ${this.kind} of ${this.provider} was cancelled in the page.`, {
      fix: 'start it again in the page',
    });
    for (const entry of this.waiting.values()) entry.reject(error);
    this.waiting.clear();
  }

  finish(outcome: { result: unknown } | { error: unknown }): void {
    if ('error' in outcome) this.error = serializeError(outcome.error, `The ${this.kind} of ${this.provider} failed unexpectedly.`);
    else this.result = outcome.result;
    this.done = true;
    this.finishedAt = Date.now();
    this.cancelWaiting();
    this.wake();
  }

  /** Resolves once there is an event after `after`, the operation finished, or the poll time passed. */
  async changes(after: number, signal: AbortSignal): Promise<void> {
    if (this.done || this.events.some((e) => e.seq > after)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.wakers.push(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  view(after: number): OperationView {
    return {
      id: this.id,
      kind: this.kind,
      provider: this.provider,
      events: this.events.filter((e) => e.seq > after),
      done: this.done,
      ...(this.done && this.error === undefined ? { result: this.result ?? null } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  private push(event: DistributiveOmit<OperationEvent, 'seq'>): number {
    const seq = this.nextSeq++;
    if (this.events.length >= MAX_EVENTS) this.events.shift();
    this.events.push({ ...event, seq } as OperationEvent);
    this.wake();
    return seq;
  }

  private cancelWaiting(): void {
    for (const entry of this.waiting.values())
      entry.reject(new VaultError('ABORTED', 'The operation ended.', { fix: 'start it again in the page' }));
    this.waiting.clear();
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function eventFor(call: Extract<IoCall, 'prompt' | 'openBrowser'>, args: unknown[]): DistributiveOmit<OperationEvent, 'seq'> {
  if (call === 'openBrowser') return { type: 'openBrowser', url: String(args[0] ?? '') };
  const options = (args[1] ?? {}) as { secret?: boolean; default?: string };
  return {
    type: 'prompt',
    question: String(args[0] ?? ''),
    secret: options.secret === true,
    ...(typeof options.default === 'string' ? { default: options.default } : {}),
  };
}

export class Operations {
  private readonly operations = new Map<string, Operation>();

  /** Starts `work` with a ProviderIO that talks to the page; answers at once with the operation's id. */
  start(
    kind: string,
    provider: string,
    env: Record<string, string | undefined>,
    work: (io: ProviderIO, signal: AbortSignal) => Promise<unknown>,
  ): OperationView {
    this.prune();
    const operation = new Operation(kind, provider);
    this.operations.set(operation.id, operation);
    work(operation.io(env), operation.controller.signal).then(
      (result) => operation.finish({ result }),
      (error: unknown) => operation.finish({ error }),
    );
    return operation.view(0);
  }

  get(id: string): Operation | undefined {
    return this.operations.get(id);
  }

  cancelAll(): void {
    for (const operation of this.operations.values()) if (!operation.done) operation.cancel();
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, operation] of this.operations)
      if (operation.done && operation.finishedAt + KEEP_DONE_MS < now) this.operations.delete(id);
    if (this.operations.size >= MAX_OPERATIONS) {
      throw new VaultError('INVALID_INPUT', `Too many sign-in operations are open at once (${MAX_OPERATIONS}).`, {
        fix: 'finish or cancel the open ones in the page, or wait a few minutes',
      });
    }
  }
}

export type { Operation };
