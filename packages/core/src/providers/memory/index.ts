export { createMemoryProvider } from './provider.js';
export type { MemoryProvider, MemoryProviderOptions, MemoryProviderStats, MemorySessionData, MemoryFault, MemoryRead } from './provider.js';
export { memoryDocumentKey, summarizeMemoryLink, MEMORY_PATH_EXPECTED, MEMORY_LINK_FLAGS } from './link.js';
export type { MemoryLink } from './link.js';
export { demoDocuments, MEMORY_PROVIDER_FILE_ENV } from './documents.js';
export type { MemoryDocument, MemoryDocumentInput, MemoryValue } from './documents.js';
