/**
 * A wait with a deadline, for the steps of a sign-in that wait on a person (a browser redirect,
 * a device code): the work settles, or it fails with the provider's timeout error when the
 * time is up, or with ABORTED when the caller cancels. The timer never keeps Node alive and
 * is cleared however the wait ends.
 */
import { VaultError } from '../errors.js';

export interface DeadlineOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The error when the time is up: name what was waited for and how to get more time. */
  onTimeout: () => Error;
  /** The error when `signal` aborts. @default ABORTED "The sign-in was cancelled." */
  onAbort?: () => Error;
  /** Runs once when the deadline or the signal fires first (e.g. to stop a listener the work holds open). */
  onStop?: () => unknown;
}

/** `work`, or the timeout / cancellation error, whichever comes first. */
export function withDeadline<T>(work: Promise<T>, options: DeadlineOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const stop = (error: Error): void => {
      if (!finish()) return;
      options.onStop?.();
      reject(error);
    };
    const onAbort = (): void => stop(options.onAbort?.() ?? new VaultError('ABORTED', 'The sign-in was cancelled.'));
    const timer = setTimeout(() => stop(options.onTimeout()), options.timeoutMs);
    timer.unref();
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish() && resolve(value),
      (error: unknown) => finish() && reject(error),
    );
  });
}
