/**
 * One error class for the whole project. Every failure carries a stable `code` (for scripts
 * and tests), a message without any secret value, and what fixes it as data (`fix`): each
 * host renders that its own way (the CLI prints a command, a web UI shows a button).
 * Errors cross process boundaries as JSON: `VaultError.fromJSON(error.toJSON())` is exact.
 */
import { fixFrom, isFix, type Fix } from './fixes.js';

export const ERROR_CODES = [
  'INVALID_REFERENCE',
  'INVALID_LINK',
  'INVALID_INPUT',
  'INVALID_CONFIG',
  'NOT_FOUND',
  'KEY_NOT_FOUND',
  'SECRET_DISABLED',
  'UNSUPPORTED_ENGINE',
  'UNSUPPORTED_VALUE',
  'ACCESS_DENIED',
  'REAUTH_REQUIRED',
  'AUTH_FAILED',
  'NOT_CONNECTED',
  'ALREADY_CONNECTED',
  'ADMIN_REQUIRED',
  'PROVIDER_UNAVAILABLE',
  'THROTTLED',
  'TIMEOUT',
  'ABORTED',
  'UNRESOLVED',
  'VAULT_LOCKED',
  'VAULT_NOT_INITIALIZED',
  'BAD_PASSPHRASE',
  'VAULT_CORRUPT',
  'PROVIDER_NOT_INSTALLED',
  'PROVIDER_INVALID',
  'DOMAIN_NOT_ALLOWED',
  'AGENT_UNAVAILABLE',
  'AGENT_INCOMPATIBLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One bad field of user input: which field, what was wrong, and the form we expect. */
export interface FieldIssue {
  field: string;
  problem: string;
  expected: string;
}

export interface VaultErrorOptions {
  /** What fixes it, as data. A string is free text for a fix outside vaultlink (`{ action: 'manual', text }`). */
  fix?: Fix | string;
  /** Every bad field, for INVALID_LINK / INVALID_INPUT / INVALID_CONFIG. */
  issues?: FieldIssue[];
  /** Provider id the error came from, when there is one. */
  provider?: string;
  /** Seconds a caller may wait before retrying (THROTTLED). */
  retryAfterSeconds?: number;
  /** Extra, non-secret facts (paths, ARNs, HTTP status) for `--json` output and logs. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The JSON form of a VaultError: what crosses a process boundary. The cause is left out (it may hold SDK request data). */
export interface VaultErrorJSON {
  name: 'VaultError';
  code: ErrorCode;
  /** The message without the issue lines (those are in `issues`). */
  message: string;
  issues: FieldIssue[];
  fix?: Fix;
  provider?: string;
  retryAfterSeconds?: number;
  details: Record<string, unknown>;
}

export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly code: ErrorCode;
  /** The message without the issue lines. */
  readonly summary: string;
  readonly fix?: Fix;
  readonly issues: FieldIssue[];
  readonly provider?: string;
  readonly retryAfterSeconds?: number;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: VaultErrorOptions = {}) {
    const issues = options.issues ?? [];
    super(composeMessage(message, issues), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.summary = message;
    const fix = fixFrom(options.fix);
    if (fix) this.fix = fix;
    this.issues = issues;
    if (options.provider !== undefined) this.provider = options.provider;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details ?? {};
  }

  toJSON(): VaultErrorJSON {
    return {
      name: 'VaultError',
      code: this.code,
      message: this.summary,
      issues: this.issues.map((issue) => ({ ...issue })),
      ...(this.fix ? { fix: structuredClone(this.fix) } : {}),
      ...(this.provider !== undefined ? { provider: this.provider } : {}),
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
      details: structuredClone(this.details),
    };
  }

  /** Rebuilds an error from its JSON form (another process, the agent, a provider built on another copy of core). */
  static fromJSON(value: unknown): VaultError {
    const problems = jsonProblems(value);
    if (problems.length > 0) {
      return new VaultError('INTERNAL', 'Received an error that is not a valid VaultError.', { issues: problems });
    }
    const json = value as VaultErrorJSON;
    return new VaultError(json.code, json.message, {
      issues: json.issues ?? [],
      ...(json.fix ? { fix: json.fix } : {}),
      ...(json.provider !== undefined ? { provider: json.provider } : {}),
      ...(json.retryAfterSeconds !== undefined ? { retryAfterSeconds: json.retryAfterSeconds } : {}),
      details: json.details ?? {},
    });
  }
}

function composeMessage(message: string, issues: FieldIssue[]): string {
  const lines = [message];
  for (const issue of issues) lines.push(`  - ${issue.field}: ${issue.problem}; expected ${issue.expected}`);
  return lines.join('\n');
}

function jsonProblems(value: unknown): FieldIssue[] {
  const problems: FieldIssue[] = [];
  if (typeof value !== 'object' || value === null)
    return [{ field: '(root)', problem: 'is not an object', expected: 'the JSON form of a VaultError' }];
  const v = value as Record<string, unknown>;
  if (!(ERROR_CODES as readonly unknown[]).includes(v['code']))
    problems.push({ field: 'code', problem: `is ${JSON.stringify(v['code'])}`, expected: 'a VaultError code' });
  if (typeof v['message'] !== 'string') problems.push({ field: 'message', problem: 'is not a string', expected: 'the error message' });
  if (v['issues'] !== undefined && !Array.isArray(v['issues']))
    problems.push({ field: 'issues', problem: 'is not a list', expected: 'a list of { field, problem, expected }' });
  if (v['fix'] !== undefined && !isFix(v['fix']))
    problems.push({ field: 'fix', problem: 'is not a fix', expected: 'a fix object with a known action' });
  return problems;
}

export function isVaultError(error: unknown, code?: ErrorCode): error is VaultError {
  return error instanceof VaultError && (code === undefined || error.code === code);
}

/** Collects field issues so validation reports every bad field at once, not just the first. */
export class IssueList {
  readonly items: FieldIssue[] = [];
  /** Fixes suggested by the parsers that found the issues, in order, without repeats. */
  readonly fixes: Fix[] = [];

  add(field: string, problem: string, expected: string): this {
    this.items.push({ field, problem, expected });
    return this;
  }

  /**
   * A parser that added issues says what fixes them, as data or as free text (used when
   * `throwIfAny` is given no fix of its own).
   */
  suggestFix(fix: Fix | string): this {
    const given = fixFrom(fix);
    if (given && !this.fixes.some((known) => sameFix(known, given))) this.fixes.push(given);
    return this;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Throws one error listing every collected issue, if there are any. */
  throwIfAny(
    code: 'INVALID_LINK' | 'INVALID_INPUT' | 'INVALID_CONFIG',
    message: string,
    options: Omit<VaultErrorOptions, 'issues'> = {},
  ): void {
    if (this.empty) return;
    const fix = options.fix ?? combineFixes(this.fixes);
    throw new VaultError(code, message, { ...options, ...(fix !== undefined ? { fix } : {}), issues: this.items });
  }
}

function sameFix(a: Fix, b: Fix): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One fix for an error: a single suggestion as it is; several free-text ones joined into one
 * text; several `relink`s of one link (each naming the flags of its own issue) as one relink
 * with all their flags and hints. Otherwise an error carries one fix, so the first one wins: it
 * belongs to the first issue, and fixing that shows the next.
 */
function combineFixes(fixes: readonly Fix[]): Fix | undefined {
  if (fixes.length <= 1) return fixes[0];
  if (fixes.every((fix) => fix.action === 'manual'))
    return { action: 'manual', text: fixes.map((fix) => (fix as { text: string }).text).join('; ') };
  const [first] = fixes as [Fix, ...Fix[]];
  if (
    first.action === 'relink' &&
    fixes.every((fix) => fix.action === 'relink' && fix.provider === first.provider && fix.name === first.name)
  ) {
    const relinks = fixes as Array<Extract<Fix, { action: 'relink' }>>;
    const hints = relinks.map((fix) => fix.hint).filter((hint): hint is string => Boolean(hint));
    return {
      ...first,
      flags: Object.assign({}, ...relinks.map((fix) => fix.flags ?? {})),
      ...(hints.length > 0 ? { hint: hints.join('; ') } : {}),
    };
  }
  return first;
}
