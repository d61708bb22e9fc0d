export { SecretCache, MINUTE_MS, type CacheHit, type CacheTimes, type CacheEntryInfo, type SecretCacheOptions } from './secret-cache.js';
export { Singleflight } from './singleflight.js';
export { MicroBatcher, chunkByGroup, nextTick, type BatchResult, type BatcherOptions } from './batcher.js';
export { createLimiter, type Limiter } from './limiter.js';
export { abortedError, throwIfAborted, isAbortError, allAborted, raceAbort } from './abort.js';
