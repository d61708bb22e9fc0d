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

/** How VAULTLINK_PASSPHRASE looked when a passphrase was needed and there was no prompt. */
export type PassphraseVariable = 'unset' | 'empty';

export function passphraseRequired(path: string, variable: PassphraseVariable = 'unset'): VaultError {
  return new VaultError(
    'VAULT_LOCKED',
    `The vault ${path} is protected by a passphrase, and none was given (VAULTLINK_PASSPHRASE is ${variable === 'empty' ? 'empty' : 'not set'} and there is no terminal to ask on).`,
    { fix: 'set VAULTLINK_PASSPHRASE to the vault passphrase', details: { path } },
  );
}

/** `init` with no passphrase source: no vault exists yet, so say what creating one needs. */
export function passphraseNeededToCreate(path: string, variable: PassphraseVariable): VaultError {
  return new VaultError(
    'VAULT_LOCKED',
    `Creating the vault ${path} needs a new passphrase, and none was given (VAULTLINK_PASSPHRASE is ${variable === 'empty' ? 'empty' : 'not set'} and there is no terminal to ask on). No vault was created.`,
    {
      fix: 'set VAULTLINK_PASSPHRASE to a new passphrase (a long phrase is best) and run `vaultlink init` again, or run it on a terminal',
      details: { path },
    },
  );
}

/** A new passphrase that is empty or only whitespace protects nothing. */
export function unusablePassphrase(field: string): VaultError {
  return new VaultError('INVALID_INPUT', 'The vault passphrase cannot be empty or only whitespace.', {
    issues: [{ field, problem: 'is empty or only whitespace', expected: 'a passphrase with visible characters (a long phrase is best)' }],
    fix:
      field === 'VAULTLINK_PASSPHRASE'
        ? 'set VAULTLINK_PASSPHRASE to a real passphrase'
        : 'run the command again and type a real passphrase',
  });
}

export function badPassphrase(path: string, source: 'env' | 'prompt'): VaultError {
  return new VaultError('BAD_PASSPHRASE', `Wrong passphrase for the vault ${path}. The file was NOT modified.`, {
    // A typed passphrase (a terminal prompt, or a host's page) is retried by typing it again; the host says where.
    fix:
      source === 'env'
        ? 'check VAULTLINK_PASSPHRASE: it does not open this vault'
        : { action: 'retry', hint: 'type the vault passphrase again: the one typed does not open this vault' },
    details: { path, passphraseSource: source },
  });
}

export function badDataKey(path: string): VaultError {
  return new VaultError(
    'BAD_PASSPHRASE',
    `VAULTLINK_KEY does not open the vault ${path} (a key of another vault, or the file was altered). The file was NOT modified.`,
    {
      fix: "print this vault's key again with `vaultlink key export`, or unset VAULTLINK_KEY to use the passphrase",
      details: { path, keySource: 'VAULTLINK_KEY' },
    },
  );
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
  return new VaultError(
    'VAULT_LOCKED',
    `Lost the write lock on the vault ${path} (this process stalled longer than the lock's stale time) ${what}.`,
    {
      fix: 'retry the command',
      details: { path, committed },
      cause,
    },
  );
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

/** Where the vault home came from, for messages: the variable to change, or the store option. */
export type HomeOrigin = 'VAULTLINK_HOME' | 'XDG_DATA_HOME' | 'HOME' | 'option';

function originNote(origin: HomeOrigin): string {
  if (origin === 'option') return 'given as the store `home` option';
  if (origin === 'HOME') return 'the default under your home directory';
  return `from ${origin}`;
}

/** VAULTLINK_HOME (or the default) names something that is not a directory. */
export function homeNotDirectory(home: string, origin: HomeOrigin, what: 'a file' | 'under a file'): VaultError {
  const problem = what === 'a file' ? 'is a file, not a directory' : 'cannot be a directory: part of its path is a file';
  return new VaultError('INVALID_CONFIG', `The vault home ${home} (${originNote(origin)}) ${problem}. Nothing was read or written.`, {
    issues: [
      { field: origin === 'option' ? 'home' : origin, problem, expected: 'a directory that holds vault.enc (created by `vaultlink init`)' },
    ],
    fix: `set VAULTLINK_HOME to a directory (\`vaultlink init\` creates a missing one with mode 0700), or move ${home} aside`,
    details: { path: home },
  });
}

/** The home can be written by someone else, who could plant a link or swap the vault file. */
export function homeNotPrivate(home: string, problem: { mode: number } | { uid: number }): VaultError {
  if ('mode' in problem) {
    const mode = (problem.mode & 0o777).toString(8).padStart(4, '0');
    return new VaultError(
      'INVALID_CONFIG',
      `The vault home ${home} is writable by ${problem.mode & 0o002 ? 'every user' : 'its group'} (mode ${mode}), so another user could plant files in it. vaultlink refuses to use it; nothing was read or written.`,
      { fix: `chmod 700 "${home}"`, details: { path: home, mode } },
    );
  }
  return new VaultError(
    'INVALID_CONFIG',
    `The vault home ${home} belongs to another user (uid ${problem.uid}). vaultlink refuses to use it; nothing was read or written.`,
    { fix: 'set VAULTLINK_HOME to a directory you own (mkdir -m 700 DIR)', details: { path: home, uid: problem.uid } },
  );
}

/** `vault.enc` is a link, a directory or another kind of file: never read through or written over. */
export function vaultFileNotRegular(
  path: string,
  kind: 'symlink' | 'directory' | 'other' | { uid: number },
  linkTarget?: string,
): VaultError {
  if (kind === 'symlink') {
    const target = linkTarget ? ` (to ${linkTarget})` : '';
    return new VaultError(
      'INVALID_CONFIG',
      `${path} is a symbolic link${target}. vaultlink never follows links in its home, so a planted link cannot redirect a read or a write; nothing was read or written.`,
      {
        fix: linkTarget
          ? `replace the link with the file: mv "${linkTarget}" "${path}"`
          : `remove the link ${path} and restore the vault file there`,
        details: { path, ...(linkTarget ? { linkTarget } : {}) },
      },
    );
  }
  if (typeof kind === 'object') {
    return new VaultError(
      'INVALID_CONFIG',
      `The vault file ${path} belongs to another user (uid ${kind.uid}); nothing was read or written.`,
      {
        fix: `give it back to yourself: sudo chown "$(id -u)" "${path}"`,
        details: { path, uid: kind.uid },
      },
    );
  }
  const what = kind === 'directory' ? 'a directory' : 'not a regular file';
  return new VaultError('INVALID_CONFIG', `The vault path ${path} is ${what}, not a vault file. Nothing was read or written.`, {
    fix: `move it aside (mv "${path}" "${path}.bak") and run \`vaultlink init\`, or set VAULTLINK_HOME to the directory that holds your vault.enc`,
    details: { path },
  });
}
