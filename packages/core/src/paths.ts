/**
 * `@vault/core/paths`: where the vault lives, and nothing else (no engine, no crypto, no
 * store). For hosts that must find VAULTLINK_HOME fast, such as the CLI's lean `get` path,
 * which asks a running agent and never opens the vault itself.
 */
export { defaultVaultHome } from './store/paths.js';
export type { VaultHomeContext } from './store/paths.js';
