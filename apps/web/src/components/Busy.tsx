/** Runs one async action at a time for a form or button, with its error kept for display. */
import { useState } from 'preact/hooks';
import { errorOf } from '../api/client.js';
import type { ErrorJson } from '../api/types.js';

export function useAction(): {
  busy: boolean;
  error: ErrorJson | undefined;
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorJson | undefined>(undefined);
  return {
    busy,
    error,
    clear: () => setError(undefined),
    async run(work) {
      setBusy(true);
      setError(undefined);
      try {
        return await work();
      } catch (caught) {
        setError(errorOf(caught));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
  };
}
