/** The providers the agent can load, with their flag specs (GET /api/providers). */
import { useApiGet } from '../api/useApiGet.js';
import type { CatalogEntry, ErrorJson } from '../api/types.js';

export function useCatalog(): { catalog: CatalogEntry[] | undefined; error: ErrorJson | undefined; reload(): Promise<void> } {
  const { data: catalog, error, reload } = useApiGet<CatalogEntry[]>('/providers');
  return { catalog, error, reload };
}
