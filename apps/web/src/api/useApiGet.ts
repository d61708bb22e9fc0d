/**
 * What a screen loads from the agent: GET `path` when the screen opens (and when `path` changes),
 * kept with the error the screen shows. `reload` fetches it again; a success clears the error, so
 * a screen never shows an old failure next to fresh data. `setError` is for the screen's own actions.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorOf } from './client.js';
import type { ErrorJson } from './types.js';

export interface ApiData<T> {
  data: T | undefined;
  setData(update: (current: T | undefined) => T | undefined): void;
  error: ErrorJson | undefined;
  setError(error: ErrorJson | undefined): void;
  reload(): Promise<void>;
}

export function useApiGet<T>(path: string): ApiData<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ErrorJson | undefined>(undefined);
  const reload = useCallback(async () => {
    try {
      setData(await api.get<T>(path));
      setError(undefined);
    } catch (caught) {
      setError(errorOf(caught));
    }
  }, [path]);
  useEffect(() => void reload(), [reload]);
  return { data, setData, error, setError, reload };
}
