export { Vault, DEFAULT_CONCURRENCY, MAX_CACHE_EXPIRY_MINUTES, type VaultOptions } from './vault.js';
export type { Outcome, ResolveOptions } from './resolve.js';
export { toVaultError, reasonForCode } from './error-mapping.js';
export { linkCacheKey, stableStringify } from './link-key.js';
export { isSessionExpired, REFRESH_SKEW_MS } from './sessions.js';
export type { CachedValueInfo } from './cache-state.js';
