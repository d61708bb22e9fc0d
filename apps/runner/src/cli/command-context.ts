/** What the `vaultlink` CLI (or a test) hands to `runCommand` / `importCommand`. */
import type { Fix, VaultApi, VaultError } from '@vault/core';
import type { MessageStream } from '../messages.js';

export interface CommandContext {
  /** Opens the vault; the vaultlink CLI passes one that can prompt for the passphrase. @default core's openVault with `env` */
  openVault?: (options?: { concurrency?: number }) => Promise<VaultApi>;
  /** How a fix is said; the vaultlink CLI passes its own (`vaultlink reauth aws`). @default a plain description of the fix data */
  renderFix?: (fix: Fix) => string;
  /** The exit code of an error that stops a command; the vaultlink CLI passes its own table. @default 1 */
  exitCodeFor?: (error: VaultError) => number;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Help and data output. @default process.stdout */
  stdout?: MessageStream;
  /** Messages and errors. @default process.stderr */
  stderr?: MessageStream;
}

/** newman's exit codes: 0 when everything passed, 1 for anything else. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
