/**
 * The store's failures, worded once. Every message names the vault path and the fix;
 * none ever includes a secret, a passphrase or key material.
 */
import { VaultError } from '../errors.js';

/** The file exists but cannot be trusted. We say loudly that we did not touch it. */
export function vaultCorrupt(path: string, reason: string, cause?: unknown): VaultError {
  return new VaultError(
    'VAULT_CORRUPT',
    `The vault file ${path} cannot be read: ${reason}. The file was NOT modified. ` +
      `Keep a copy of it (for example \`cp "${path}" "${path}.bak"\`) before trying anything else.`,
    {
      fix: `restore ${path} from a backup, or move it aside and run \`vaultlink init\` to start a new vault`,
      details: { path },
      cause,
    },
  );
}

export function vaultNotInitialized(path: string): VaultError {
  return new VaultError('VAULT_NOT_INITIALIZED', `No vault at ${path}.`, {
    fix: 'vaultlink init (or set VAULTLINK_HOME to the directory of an existing vault)',
    details: { path },
  });
}

export function passphraseRequired(path: string): VaultError {
  return new VaultError(
    'VAULT_LOCKED',
    `The vault ${path} is protected by a passphrase, and none was given (VAULTLINK_PASSPHRASE is not set and there is no terminal to ask on).`,
    { fix: 'set VAULTLINK_PASSPHRASE to the vault passphrase', details: { path } },
  );
}

export function badPassphrase(path: string, source: 'env' | 'prompt'): VaultError {
  return new VaultError('BAD_PASSPHRASE', `Wrong passphrase for the vault ${path}. The file was NOT modified.`, {
    fix: source === 'env' ? 'check VAULTLINK_PASSPHRASE: it does not open this vault' : 'run the command again and type the vault passphrase',
    details: { path, passphraseSource: source },
  });
}

export function badDataKey(path: string): VaultError {
  return new VaultError('BAD_PASSPHRASE', `VAULTLINK_KEY does not open the vault ${path} (a key of another vault, or the file was altered). The file was NOT modified.`, {
    fix: 'print this vault\'s key again with `vaultlink key export`, or unset VAULTLINK_KEY to use the passphrase',
    details: { path, keySource: 'VAULTLINK_KEY' },
  });
}

export function keychainLocked(path: string, reason: string, cause?: unknown): VaultError {
  return new VaultError('VAULT_LOCKED', `The vault ${path} is protected by a key in the OS keychain, which ${reason}.`, {
    fix: 'unlock the OS keychain (log in to a desktop session), or restore the vault from a backup',
    details: { path },
    cause,
  });
}

export function lockTimeout(path: string, lockPath: string, cause?: unknown): VaultError {
  return new VaultError('VAULT_LOCKED', `Another vaultlink process is writing the vault ${path} and did not finish in time.`, {
    fix: `retry the command; if no vaultlink process is running, remove the directory ${lockPath}`,
    details: { path, lockPath },
    cause,
  });
}

export function lockLost(path: string, committed: boolean, cause?: unknown): VaultError {
  const what = committed
    ? 'after writing, and another process may have replaced this change: check it before relying on it'
    : 'before writing; nothing was written';
  return new VaultError('VAULT_LOCKED', `Lost the write lock on the vault ${path} (this process stalled longer than the lock's stale time) ${what}.`, {
    fix: 'retry the command',
    details: { path, committed },
    cause,
  });
}

/** A filesystem failure (permissions, disk full). Writes are atomic, so the previous vault is intact. */
export function vaultIoError(path: string, action: string, cause: unknown): VaultError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const detail = code ?? (cause instanceof Error ? cause.message : String(cause));
  return new VaultError('INTERNAL', `Could not ${action} ${path} (${detail}). The vault file was left as it was.`, {
    fix: `check the permissions of ${path} and its directory, and the free disk space`,
    details: { path, ...(code ? { errno: code } : {}) },
    cause,
  });
}
