/**
 * `@vault/core/testing`: the in-memory reference provider with its test switches (faults,
 * latency, revoked sessions, call counters), and an in-memory vault store. For tests and
 * demos; never for real secrets.
 */
export { createMemoryProvider, demoDocuments, MEMORY_PROVIDER_FILE_ENV, MEMORY_PATH_EXPECTED } from './providers/memory/index.js';
export type {
  MemoryProvider,
  MemoryProviderOptions,
  MemoryProviderStats,
  MemorySessionData,
  MemoryFault,
  MemoryRead,
  MemoryLink,
  MemoryDocument,
  MemoryDocumentInput,
  MemoryValue,
} from './providers/memory/index.js';
export { createMemoryStore } from './memory-store.js';
export type { MemoryVaultStore } from './memory-store.js';
