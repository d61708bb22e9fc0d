/** Cache keys for links: provider id plus the link's JSON with sorted keys. */
export function linkCacheKey(providerId: string, link: Record<string, unknown>): string {
  return `${providerId}\u0000${stableStringify(link)}`;
}

export function providerOfCacheKey(key: string): string {
  return key.slice(0, key.indexOf('\u0000'));
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
