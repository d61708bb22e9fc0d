/** The providers the agent can load, with their flag specs (GET /api/providers). */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorOf } from '../api/client.js';
import type { CatalogEntry, ErrorJson } from '../api/types.js';

export function useCatalog(): { catalog: CatalogEntry[] | undefined; error: ErrorJson | undefined; reload(): Promise<void> } {
  const [catalog, setCatalog] = useState<CatalogEntry[] | undefined>(undefined);
  const [error, setError] = useState<ErrorJson | undefined>(undefined);
  const reload = useCallback(async () => {
    try {
      setCatalog(await api.get<CatalogEntry[]>('/providers'));
    } catch (caught) {
      setError(errorOf(caught));
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  return { catalog, error, reload };
}
