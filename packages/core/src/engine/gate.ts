/**
 * The way every upstream call of one provider goes out, so each rule is written once:
 * - at most `concurrency` calls in flight (the provider's declared safe number, or the user's);
 * - a 429 with Retry-After pauses the whole provider, not just the call that got it, and the
 *   call is tried again after the pause while its time allows;
 * - each call has a per-request timeout (handed to the provider) and a total bound with
 *   retries included: at the bound core stops waiting, even for a provider that ignores its
 *   signal, and answers PROVIDER_UNAVAILABLE;
 * - after a call hit its total bound, calls that were waiting fail at once for a while, so a
 *   frozen vault costs one bound, not one bound per wave of calls.
 */
import type { CallOptions } from '../contract.js';
import { VaultError, isVaultError } from '../errors.js';
import { abortedError, isAbortError, throwIfAborted } from '../cache/abort.js';
import { toVaultError } from '../vault/error-mapping.js';

/** Timeout of one upstream request (one attempt), when nobody says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Bound of one provider call, retries included, when nobody says otherwise. */
export const DEFAULT_TOTAL_TIMEOUT_MS = 45_000;
/** Times core itself tries a throttled call again (after the Retry-After pause). */
const THROTTLE_RETRIES = 2;
/** A Retry-After longer than this is not waited for: the caller gets THROTTLED. */
const MAX_PAUSE_MS = 30_000;

export interface CallBounds {
  /** Per-request timeout handed to the provider, in ms. */
  requestTimeoutMs: number;
  /** Bound of one call, retries included, in ms. */
  totalTimeoutMs: number;
}

export interface RunOptions {
  /** Try a THROTTLED call again after its Retry-After pause. Off for calls that change several things upstream (setup). @default true */
  retryThrottled?: boolean;
}

export interface ProviderGateOptions extends Partial<CallBounds> {
  /** Calls in flight at once. */
  concurrency: number;
}

export class ProviderGate {
  readonly bounds: CallBounds;
  readonly concurrency: number;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  private failing: { until: number; error: VaultError } | undefined;

  constructor(
    readonly providerId: string,
    options: ProviderGateOptions,
  ) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency));
    this.bounds = {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      totalTimeoutMs: options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
    };
  }

  /** Runs one upstream call under the provider's rules. Failures are VaultErrors. */
  async run<T>(call: (options: CallOptions) => Promise<T>, signal?: AbortSignal, options: RunOptions = {}): Promise<T> {
    throwIfAborted(signal);
    const deadline = new AbortController();
    let deadlineTimer: NodeJS.Timeout | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        await this.acquire(signal);
        try {
          this.throwIfFailing();
          await this.waitForPause(signal, deadline.signal);
          // The total bound starts with the first attempt, so retries count towards it.
          deadlineTimer ??= setTimeout(() => deadline.abort(), this.bounds.totalTimeoutMs);
          return await this.attempt(call, signal, deadline.signal);
        } catch (error) {
          const mapped = this.classify(error, signal, deadline.signal);
          if (options.retryThrottled === false || !this.shouldRetry(mapped, attempt, deadline.signal)) throw mapped;
        } finally {
          this.release();
        }
      }
    } finally {
      clearTimeout(deadlineTimer);
    }
  }

  private attempt<T>(call: (options: CallOptions) => Promise<T>, signal: AbortSignal | undefined, deadline: AbortSignal): Promise<T> {
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    return new Promise<T>((resolve, reject) => {
      // Stop waiting at the deadline or on cancel even if the provider ignores its signal.
      const stop = (): void => reject(abortedError(combined.reason));
      if (combined.aborted) return stop();
      combined.addEventListener('abort', stop, { once: true });
      let pending: Promise<T>;
      try {
        pending = call({ signal: combined, timeoutMs: this.bounds.requestTimeoutMs });
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(resolve, reject).finally(() => combined.removeEventListener('abort', stop));
    });
  }

  private classify(error: unknown, signal: AbortSignal | undefined, deadline: AbortSignal): VaultError {
    if (signal?.aborted) return isVaultError(error, 'ABORTED') ? error : abortedError(signal.reason);
    if (deadline.aborted && (isAbortError(error) || !isVaultError(error))) {
      const timedOut = this.timeoutError();
      this.failing = { until: Date.now() + this.bounds.totalTimeoutMs, error: timedOut };
      return timedOut;
    }
    return toVaultError(error, this.providerId);
  }

  private shouldRetry(error: VaultError, attempt: number, deadline: AbortSignal): boolean {
    if (error.code !== 'THROTTLED' || attempt >= THROTTLE_RETRIES || deadline.aborted) return false;
    const pauseMs = Math.max(1, error.retryAfterSeconds ?? 1) * 1000;
    if (pauseMs > MAX_PAUSE_MS) return false;
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pauseMs);
    return true;
  }

  private throwIfFailing(): void {
    if (this.failing && this.failing.until > Date.now()) {
      const { error } = this.failing;
      throw new VaultError(error.code, error.summary, {
        provider: this.providerId,
        ...(error.fix ? { fix: error.fix } : {}),
        details: { ...error.details, failedFast: true },
      });
    }
    this.failing = undefined;
  }

  private async waitForPause(signal: AbortSignal | undefined, deadline: AbortSignal): Promise<void> {
    const wait = this.pausedUntil - Date.now();
    if (wait <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const signals = signal ? [signal, deadline] : [deadline];
      const done = (): void => {
        clearTimeout(timer);
        for (const s of signals) s.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        done();
        reject(abortedError());
      };
      const timer = setTimeout(() => {
        done();
        resolve();
      }, wait);
      for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async acquire(signal: AbortSignal | undefined): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    // A finishing call hands its slot straight to the next waiter, so `active` never overshoots.
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(abortedError(signal?.reason));
      };
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private timeoutError(): VaultError {
    const { requestTimeoutMs, totalTimeoutMs } = this.bounds;
    return new VaultError(
      'PROVIDER_UNAVAILABLE',
      `The ${this.providerId} vault did not answer within ${seconds(totalTimeoutMs)} (retries included; ${seconds(requestTimeoutMs)} per request).`,
      {
        provider: this.providerId,
        fix: {
          action: 'retry',
          hint: 'check that the vault is reachable and answering; VAULTLINK_TOTAL_TIMEOUT_MS and VAULTLINK_REQUEST_TIMEOUT_MS change the bounds',
        },
        details: { timedOut: true, totalTimeoutMs, requestTimeoutMs },
      },
    );
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
