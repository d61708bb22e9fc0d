/** The encrypted local vault file (`<VAULTLINK_HOME>/vault.enc`). */
export { initFileStore, openFileStore, vaultExists, type FileVaultStore } from './file-store.js';
export type { FileStoreOptions } from './options.js';
export type { MarkSource, StoreWarning } from './generation.js';
export type { KeyProtection } from './key-protection.js';
export type { KeyringModule, KeyringEntry, KeyringEntryOptions, LoadKeyring } from './keychain.js';
export type { ScryptParams } from './kdf.js';
export { defaultVaultHome, vaultFilePath, VAULT_FILE_NAME } from './paths.js';
export { DATA_KEY_ENV } from './supplied-key.js';
export { takePassphraseFromEnv } from './env-passphrase.js';
