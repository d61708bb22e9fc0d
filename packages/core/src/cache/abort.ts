/** Cancellation helpers: one ABORTED error shape, and signals shared by several callers. */
import { VaultError, isVaultError } from '../errors.js';

export function abortedError(cause?: unknown): VaultError {
  return new VaultError('ABORTED', 'The operation was cancelled.', cause === undefined ? {} : { cause });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal.reason);
}

/** True for our ABORTED and for DOM/Node AbortError (what fetch and SDKs throw). */
export function isAbortError(error: unknown): boolean {
  if (isVaultError(error, 'ABORTED')) return true;
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}

/** A signal that aborts only once every one of `signals` has aborted (work shared by callers). */
export function allAborted(signals: readonly AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  let remaining = signals.length;
  const onAbort = (): void => {
    remaining--;
    if (remaining === 0) controller.abort(abortedError());
  };
  for (const signal of signals) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  return controller.signal;
}

/** Waits for `promise`, but rejects with ABORTED as soon as `signal` aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort?: () => void): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    onAbort?.();
    return Promise.reject(abortedError(signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort?.();
      reject(abortedError(signal.reason));
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
