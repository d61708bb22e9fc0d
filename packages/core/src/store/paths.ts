/**
 * Where the local vault lives. One home directory per user (or per VAULTLINK_HOME),
 * holding `vault.enc` and its lock.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, posix, win32 } from 'node:path';
import { VaultError } from '../errors.js';
import type { HomeOrigin } from './store-errors.js';

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
 * `%APPDATA%/vaultlink` (Windows). A relative `XDG_DATA_HOME` is ignored, as the XDG spec says.
 * An empty or relative home directory (`HOME=""`) is INVALID_CONFIG: the vault would otherwise
 * land under whatever the current directory happens to be.
 */
export function defaultVaultHome(env: EnvLike = process.env, context: VaultHomeContext = {}): string {
  const explicit = nonEmpty(env.VAULTLINK_HOME);
  if (explicit) return explicit;
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  if (xdg && isAbsolute(xdg)) return join(xdg, 'vaultlink');
  const platform = context.platform ?? process.platform;
  const home = context.homeDir ?? (platform !== 'win32' && env.HOME !== undefined ? env.HOME : homedir());
  if (!(platform === 'win32' ? win32 : posix).isAbsolute(home)) throw unknownHomeDirectory(home);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'vaultlink');
  if (platform === 'win32') return join(nonEmpty(env.APPDATA) ?? join(home, 'AppData', 'Roaming'), 'vaultlink');
  return join(home, '.local', 'share', 'vaultlink');
}

/** Which setting chose the vault home `defaultVaultHome(env)` returns, for messages. */
export function vaultHomeOrigin(env: EnvLike = process.env): HomeOrigin {
  if (nonEmpty(env.VAULTLINK_HOME)) return 'VAULTLINK_HOME';
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  return xdg && isAbsolute(xdg) ? 'XDG_DATA_HOME' : 'HOME';
}

function unknownHomeDirectory(home: string): VaultError {
  const problem = home === '' ? 'is empty' : `is the relative path "${home}"`;
  return new VaultError('INVALID_CONFIG', `Cannot place the vault: your home directory (HOME) ${problem}, and VAULTLINK_HOME is not set.`, {
    issues: [{ field: 'HOME', problem, expected: 'an absolute path, or VAULTLINK_HOME set to the vault directory' }],
    fix: 'set VAULTLINK_HOME to the directory of your vault (e.g. export VAULTLINK_HOME=/path/to/vaultlink), or set HOME',
  });
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
