/** Opens the encrypted local vault file and wraps it in the `Vault` facade. */
import { initFileStore, openFileStore, type FileStoreOptions, type FileVaultStore } from './store/index.js';
import { Vault, type VaultOptions } from './vault/vault.js';

export interface OpenVaultOptions extends Omit<VaultOptions, 'store' | 'env'>, Omit<FileStoreOptions, 'env'> {
  /** Environment for the store (VAULTLINK_HOME, VAULTLINK_PASSPHRASE), providers and the team config. @default process.env */
  env?: Record<string, string | undefined>;
  /** Create the vault file when there is none (`vaultlink init`). Otherwise a missing file is VAULT_NOT_INITIALIZED. @default false */
  create?: boolean;
}

export interface OpenedVault {
  vault: Vault;
  store: FileVaultStore;
}

/** The facade over `<VAULTLINK_HOME>/vault.enc`. */
export async function openVault(options: OpenVaultOptions = {}): Promise<Vault> {
  return (await openVaultWithStore(options)).vault;
}

/** Same as `openVault`, also returning the file store (path, key protection) for `init`/`doctor`-like commands. */
export async function openVaultWithStore(options: OpenVaultOptions = {}): Promise<OpenedVault> {
  const { create, home, passphrase, keychain, loadKeyring, kdf, lockStaleMs, ...vaultOptions } = options;
  const storeOptions: FileStoreOptions = {
    ...(home !== undefined ? { home } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(passphrase ? { passphrase } : {}),
    ...(keychain ? { keychain } : {}),
    ...(loadKeyring ? { loadKeyring } : {}),
    ...(kdf ? { kdf } : {}),
    ...(lockStaleMs !== undefined ? { lockStaleMs } : {}),
  };
  const store = create ? await initFileStore(storeOptions) : await openFileStore(storeOptions);
  return { vault: new Vault({ ...vaultOptions, store }), store };
}
