/** What the `vaultlink` CLI (or a test) hands to `runCommand` / `importCommand`. */
import type { Fix, VaultApi, VaultError } from '@vault/core';
import type { MessageStream } from '../messages.js';

export interface CommandContext {
  /** Opens the vault; the vaultlink CLI passes one that can prompt for the passphrase. @default core's openVault with `env` */
  openVault?: (options?: { concurrency?: number }) => Promise<VaultApi>;
  /** How a fix is said; the vaultlink CLI passes its own (`vaultlink reauth aws`). @default a plain description of the fix data */
  renderFix?: (fix: Fix) => string;
  /** The exit code of an error that stops `import`; the vaultlink CLI passes its own table. `run` keeps newman's codes. @default EXIT_USAGE for bad input, else EXIT_FAILED */
  exitCodeFor?: (error: VaultError) => number;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Help and data output. @default process.stdout */
  stdout?: MessageStream;
  /** Messages and errors. @default process.stderr */
  stderr?: MessageStream;
  /** Prints an error that stops a command the host's way (the vaultlink CLI: colours, `--json`). @default `error [CODE] message` and its `Fix:` line (said with `renderFix`) on stderr */
  printError?: (error: VaultError) => void;
}

/** newman's exit codes: 0 when everything passed, 1 for anything else (its usage errors included). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
/**
 * Bad input to `import` when the host passes no `exitCodeFor` (2, the usual usage exit; the
 * vaultlink CLI's table says 2 as well). The runner's own: exit codes belong to hosts, and core
 * has none. `run` never uses it: it keeps newman's 0 and 1.
 */
export const EXIT_USAGE = 2;
