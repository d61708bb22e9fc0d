/**
 * Where the local vault lives. One home directory per user (or per VAULTLINK_HOME),
 * holding `vault.enc` and its lock.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const VAULT_FILE_NAME = 'vault.enc';
/** proper-lockfile's lock directory, next to the vault so it is on the same filesystem. */
export const VAULT_LOCK_NAME = 'vault.enc.lock';

/** Token of the current lock holder, so a holder can tell that its lock was taken over. */
export const VAULT_LOCK_OWNER_NAME = 'vault.enc.lock-owner';

export type EnvLike = Record<string, string | undefined>;

export interface VaultHomeContext {
  platform?: NodeJS.Platform;
  homeDir?: string;
}

/**
 * `VAULTLINK_HOME`, else `$XDG_DATA_HOME/vaultlink`, else the platform's per-user data dir:
 * `~/.local/share/vaultlink` (Linux and others), `~/Library/Application Support/vaultlink` (macOS),
 * `%APPDATA%/vaultlink` (Windows).
 */
export function defaultVaultHome(env: EnvLike = process.env, context: VaultHomeContext = {}): string {
  const explicit = nonEmpty(env.VAULTLINK_HOME);
  if (explicit) return explicit;
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  if (xdg) return join(xdg, 'vaultlink');
  const platform = context.platform ?? process.platform;
  const home = context.homeDir ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'vaultlink');
  if (platform === 'win32') return join(nonEmpty(env.APPDATA) ?? join(home, 'AppData', 'Roaming'), 'vaultlink');
  return join(home, '.local', 'share', 'vaultlink');
}

export function vaultFilePath(home: string): string {
  return join(home, VAULT_FILE_NAME);
}

export function vaultLockPath(home: string): string {
  return join(home, VAULT_LOCK_NAME);
}

export function vaultLockOwnerPath(home: string): string {
  return join(home, VAULT_LOCK_OWNER_NAME);
}

/** Temp files are named `vault.enc.<pid>.<random>.tmp` so leftovers of a killed writer are recognisable. */
export function isVaultTempFile(name: string): boolean {
  return name.startsWith(`${VAULT_FILE_NAME}.`) && name.endsWith('.tmp');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
