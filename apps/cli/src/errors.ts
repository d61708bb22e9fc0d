import { CommanderError } from 'commander';
import { ERROR_CODES, VaultError, type ErrorCode } from '@vault/core';
import type { Colors } from './colors.js';
import { capListedLines } from './error-list.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import { renderFix } from '@vault/agent/fix-text';
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
  if (
    error instanceof Error &&
    error.name === 'VaultError' &&
    typeof code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(code)
  ) {
    // Errors cross copies of core as data: rebuild from the JSON form (or the fields of an older copy).
    const foreign = error as Error & {
      toJSON?: () => unknown;
      summary?: string;
      fix?: unknown;
      issues?: unknown;
      provider?: string;
      details?: unknown;
    };
    const json = typeof foreign.toJSON === 'function' ? foreign.toJSON() : undefined;
    const fix = typeof foreign.fix === 'string' ? { action: 'manual', text: foreign.fix } : foreign.fix;
    const rebuilt = VaultError.fromJSON(
      json ?? {
        code,
        message: foreign.summary ?? foreign.message,
        issues: foreign.issues ?? [],
        fix,
        provider: foreign.provider,
        details: foreign.details ?? {},
      },
    );
    return rebuilt.code === 'INTERNAL' && code !== 'INTERNAL' ? new VaultError(code as VaultError['code'], foreign.message) : rebuilt;
  }
  return undefined;
}

/**
 * The process exit code for an error. An UNRESOLVED list (`resolve`) whose every entry failed
 * because its vault was unavailable exits 5 like the unavailability itself, so a script can tell
 * "try again later" from "fix the names"; any other cause among them keeps the list's exit 4.
 */
export function exitCodeOf(error: VaultError): number {
  const causes = unresolvedCauses(error);
  if (causes.length > 0 && causes.every((code) => exitCodeFor(code) === EXIT_CODES.unavailable)) return EXIT_CODES.unavailable;
  return exitCodeFor(error.code);
}

/** The codes of an UNRESOLVED error's `details.unresolved` entries (an entry without one counts as another cause). */
function unresolvedCauses(error: VaultError): ErrorCode[] {
  const list = error.code === 'UNRESOLVED' ? error.details['unresolved'] : undefined;
  if (!Array.isArray(list)) return [];
  return list.map((entry: unknown) => {
    const code = (entry as { code?: unknown } | null)?.code;
    return (ERROR_CODES as readonly unknown[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
  });
}

/** An error for `--json`: its data, with the fix rendered as text (`fix`) and as data (`fixAction`). */
export function errorJson(error: VaultError): Record<string, unknown> {
  const { fix, ...rest } = error.toJSON();
  return { ...rest, message: error.message, ...(fix ? { fix: renderFix(fix), fixAction: fix } : {}) };
}

/** Prints an error the way the README documents and returns the process exit code. */
export function reportError(error: unknown, out: ErrorOutput): number {
  if (error instanceof CommanderError) return reportUsageError(error, out);
  const vaultError = asVaultError(error);
  if (vaultError) {
    writeVaultError(vaultError, out);
    return exitCodeOf(vaultError);
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
    stderr.write(`${JSON.stringify({ error: errorJson(error) })}\n`);
    return;
  }
  const { colors } = out;
  const [first = '', ...rest] = capListedLines(error.message.split('\n'));
  stderr.write(`${colors.red(colors.bold('error'))} ${colors.dim(`[${error.code}]`)} ${first}\n`);
  for (const line of rest) stderr.write(`${line}\n`);
  if (error.fix) stderr.write(`${colors.cyan('Fix:')} ${renderFix(error.fix)}\n`);
}

/** Commander already printed its message (unless --json); usage errors exit 2, help/version exit 0. */
function reportUsageError(error: CommanderError, out: ErrorOutput): number {
  if (error.exitCode === 0) return 0;
  if (out.json) {
    const usage = new VaultError('INVALID_INPUT', error.message.replace(/^error: /, ''), {
      fix: 'see vaultlink --help',
      details: { usage: error.code },
    });
    out.streams.stderr.write(`${JSON.stringify({ error: errorJson(usage) })}\n`);
  }
  return EXIT_CODES.usage;
}
