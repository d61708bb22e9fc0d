/**
 * In-flight de-duplication: concurrent callers asking for the same key share one piece
 * of work. The shared work is cancelled only when every caller waiting on it has given up.
 */
import { abortedError, raceAbort } from './abort.js';

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiting: number;
}

export class Singleflight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  /** Number of keys with work in flight (for tests and diagnostics). */
  get size(): number {
    return this.flights.size;
  }

  has(key: string): boolean {
    return this.flights.has(key);
  }

  run(key: string, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortedError(signal.reason));
    let flight = this.flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const created: Flight<T> = { controller, waiting: 0, promise: Promise.resolve() as Promise<never> };
      created.promise = (async () => {
        try {
          return await work(controller.signal);
        } finally {
          if (this.flights.get(key) === created) this.flights.delete(key);
        }
      })();
      // Callers that abort stop listening; the shared promise may still reject later.
      created.promise.catch(() => undefined);
      this.flights.set(key, created);
      flight = created;
    }
    const shared = flight;
    shared.waiting++;
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      shared.waiting--;
      if (shared.waiting === 0 && this.flights.get(key) === shared) {
        this.flights.delete(key);
        shared.controller.abort(abortedError());
      }
    };
    return raceAbort(shared.promise, signal, leave).finally(() => {
      if (!left) {
        left = true;
        shared.waiting--;
      }
    });
  }

  /** Forgets in-flight work for a key (relink/reset): later callers start fresh work. */
  forget(key: string): void {
    this.flights.delete(key);
  }

  forgetAll(): void {
    this.flights.clear();
  }
}
