/** What the `vaultlink` CLI (or a test) hands to `runCommand` / `importCommand`. */
import { EXIT_CODES, type VaultApi, type VaultError } from '@vault/core';
import type { MessageStream } from '../messages.js';

export interface CommandContext {
  /** Opens the vault; the vaultlink CLI passes one that can prompt for the passphrase. @default core's openVault with `env` */
  openVault?: () => Promise<VaultApi>;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Help and data output. @default process.stdout */
  stdout?: MessageStream;
  /** Messages and errors. @default process.stderr */
  stderr?: MessageStream;
  /** Prints an error the host's way (the vaultlink CLI: colours, `--json`). @default `error [CODE] message` and its `Fix:` line on stderr */
  printError?: (error: VaultError) => void;
}

/** newman's exit codes: 0 when everything passed, 1 for anything else. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
/** Bad input to `import` (core's usage exit code). */
export const EXIT_USAGE = EXIT_CODES.usage;
