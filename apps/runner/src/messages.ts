/**
 * vaultlink's own lines during a run (warnings, the resolve progress line). They go to
 * stderr so stdout stays the reporters'. The progress line is drawn only on a TTY: in CI
 * logs a carriage-return spinner is noise.
 */
import type { Fix, VaultError } from '@vault/core';

export interface RunMessages {
  warn(message: string): void;
  info(message: string): void;
  /** `done` of `total` vault references resolved; a no-op when not on a TTY. */
  progress(done: number, total: number): void;
  /** Clears the progress line, if one was drawn. */
  endProgress(): void;
}

/** A fix as plain words, for hosts that pass no renderer of their own (e.g. `reauth aws`). */
export function describeFix(fix: Fix): string {
  if (fix.action === 'manual') return fix.text;
  const subject = 'provider' in fix ? fix.provider : 'name' in fix ? fix.name : 'package' in fix ? fix.package : undefined;
  const hint = 'hint' in fix && fix.hint ? ` (${fix.hint})` : '';
  return `${fix.action}${subject ? ` ${subject}` : ''}${hint}`;
}

/** An error line as the runner prints it: the message, then the fix. */
export function errorText(error: VaultError, renderFix: (fix: Fix) => string = describeFix): string {
  return `${error.message}${error.fix ? `\nFix: ${renderFix(error.fix)}` : ''}`;
}

export interface MessageStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function streamMessages(
  stream: MessageStream = process.stderr,
  env: Readonly<Record<string, string | undefined>> = process.env,
): RunMessages {
  let drawn = false;
  // NO_COLOR: no escape sequences at all; the line is redrawn with a carriage return and blanked with spaces.
  const plain = (env['NO_COLOR'] ?? '') !== '';
  const clear = plain ? `\r${' '.repeat(60)}\r` : '\r\x1b[K';
  return {
    warn: (message) => {
      stream.write(`vaultlink: warning: ${message}\n`);
    },
    info: (message) => {
      stream.write(`vaultlink: ${message}\n`);
    },
    progress: (done, total) => {
      if (!stream.isTTY) return;
      drawn = true;
      stream.write(`${clear}vaultlink: resolving vault secrets ${done}/${total}`);
    },
    endProgress: () => {
      if (!drawn) return;
      drawn = false;
      stream.write(clear);
    },
  };
}

/** `CI=true` (GitHub Actions, GitLab, most CI) or `CI=1` turns on `--fail-on-unresolved`. */
export function isCi(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = (env['CI'] ?? '').trim().toLowerCase();
  return value === 'true' || value === '1';
}
