import { CommanderError } from 'commander';
import { ERROR_CODES, EXIT_CODES, VaultError, type ErrorCode } from '@vault/core';
import type { Colors } from './colors.js';
import { capListedLines } from './error-list.js';
import type { CliStreams } from './streams.js';

export interface ErrorOutput {
  streams: CliStreams;
  colors: Colors;
  /** `--json`: errors go to stderr as one JSON object. */
  json: boolean;
}

/**
 * A VaultError, also when it was thrown by a second copy of @vault/core
 * (e.g. a provider installed next to a different core build): same name, known code.
 */
export function asVaultError(error: unknown): VaultError | undefined {
  if (error instanceof VaultError) return error;
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  if (error instanceof Error && error.name === 'VaultError' && typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
    const foreign = error as Error & { code: ErrorCode; fix?: string; issues?: VaultError['issues']; provider?: string; details?: Record<string, unknown> };
    // Rebuild from the raw message; it already carries the issue lines and the Fix line.
    const rebuilt = new VaultError(foreign.code, foreign.message, { provider: foreign.provider, details: foreign.details });
    Object.assign(rebuilt, { fix: foreign.fix, issues: foreign.issues ?? [] });
    return rebuilt;
  }
  return undefined;
}

/** Prints an error the way the README documents and returns the process exit code. */
export function reportError(error: unknown, out: ErrorOutput): number {
  if (error instanceof CommanderError) return reportUsageError(error, out);
  const vaultError = asVaultError(error);
  if (vaultError) {
    writeVaultError(vaultError, out);
    return vaultError.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  const internal = new VaultError('INTERNAL', `Unexpected error: ${message}`, {
    fix: 'run again with VAULTLINK_DEBUG=1 for the stack trace and report it',
  });
  writeVaultError(internal, out);
  if (out.streams.env.VAULTLINK_DEBUG && error instanceof Error && error.stack) out.streams.stderr.write(`${error.stack}\n`);
  return EXIT_CODES.other;
}

function writeVaultError(error: VaultError, out: ErrorOutput): void {
  const { stderr } = out.streams;
  if (out.json) {
    stderr.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
    return;
  }
  const { colors } = out;
  const lines = capListedLines(error.message.split('\n'));
  const [first = '', ...rest] = lines;
  stderr.write(`${colors.red(colors.bold('error'))} ${colors.dim(`[${error.code}]`)} ${first}\n`);
  for (const line of rest) {
    stderr.write(line.startsWith('Fix: ') ? `${colors.cyan('Fix:')} ${line.slice(5)}\n` : `${line}\n`);
  }
}

/** Commander already printed its message (unless --json); usage errors exit 2, help/version exit 0. */
function reportUsageError(error: CommanderError, out: ErrorOutput): number {
  if (error.exitCode === 0) return 0;
  if (out.json) {
    const usage = new VaultError('INVALID_INPUT', error.message.replace(/^error: /, ''), { fix: 'see vaultlink --help', details: { usage: error.code } });
    out.streams.stderr.write(`${JSON.stringify({ error: usage.toJSON() })}\n`);
  }
  return EXIT_CODES.usage;
}
