export * from './errors.js';
export * from './contract.js';
export * from './model.js';
export * from './vault-api.js';
export * from './store/index.js';
export * from './names.js';
export * from './references/index.js';
export * from './domains.js';
export * from './cache/index.js';
export * from './redaction/index.js';
export * from './team-config.js';
export * from './providers/index.js';
export * from './memory-store.js';
export * from './vault/index.js';
export * from './open-vault.js';
export * from './resolve-text.js';
export * from './output-path.js';
/** The crash-safe file replacement the vault uses, for hosts that rewrite user files (the runner's import). */
export { writeFileAtomic } from './store/atomic-write.js';
