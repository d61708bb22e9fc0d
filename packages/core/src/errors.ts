/**
 * One error class for the whole project. Every failure carries a stable `code`
 * (for scripts and tests), a message that names the fix, and never a secret value.
 */

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
  /** The command or action that fixes it, e.g. `vaultlink reauth aws`. Appended to the message. */
  fix?: string;
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

/** Process exit codes of the CLI, by error code. Documented in apps/cli/README.md. */
export const EXIT_CODES = {
  usage: 2,
  auth: 3,
  notFound: 4,
  unavailable: 5,
  other: 1,
} as const;

const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_REFERENCE: EXIT_CODES.usage,
  INVALID_LINK: EXIT_CODES.usage,
  INVALID_INPUT: EXIT_CODES.usage,
  INVALID_CONFIG: EXIT_CODES.usage,
  UNSUPPORTED_ENGINE: EXIT_CODES.usage,
  ALREADY_CONNECTED: EXIT_CODES.usage,
  PROVIDER_NOT_INSTALLED: EXIT_CODES.usage,
  PROVIDER_INVALID: EXIT_CODES.usage,
  ACCESS_DENIED: EXIT_CODES.auth,
  REAUTH_REQUIRED: EXIT_CODES.auth,
  AUTH_FAILED: EXIT_CODES.auth,
  NOT_CONNECTED: EXIT_CODES.auth,
  ADMIN_REQUIRED: EXIT_CODES.auth,
  VAULT_LOCKED: EXIT_CODES.auth,
  BAD_PASSPHRASE: EXIT_CODES.auth,
  DOMAIN_NOT_ALLOWED: EXIT_CODES.auth,
  NOT_FOUND: EXIT_CODES.notFound,
  KEY_NOT_FOUND: EXIT_CODES.notFound,
  SECRET_DISABLED: EXIT_CODES.notFound,
  UNRESOLVED: EXIT_CODES.notFound,
  VAULT_NOT_INITIALIZED: EXIT_CODES.notFound,
  UNSUPPORTED_VALUE: EXIT_CODES.notFound,
  PROVIDER_UNAVAILABLE: EXIT_CODES.unavailable,
  THROTTLED: EXIT_CODES.unavailable,
  TIMEOUT: EXIT_CODES.unavailable,
};

export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly code: ErrorCode;
  readonly fix?: string;
  readonly issues: FieldIssue[];
  readonly provider?: string;
  readonly retryAfterSeconds?: number;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: VaultErrorOptions = {}) {
    const issues = options.issues ?? [];
    super(composeMessage(message, issues, options.fix), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fix = options.fix;
    this.issues = issues;
    this.provider = options.provider;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details ?? {};
  }

  /** CLI exit code for this error (2 usage, 3 auth, 4 not found/unresolved, 5 unavailable, 1 other). */
  get exitCode(): number {
    return EXIT_BY_CODE[this.code] ?? EXIT_CODES.other;
  }

  /** Plain object for `--json` output. The cause is left out: it may come from an SDK and hold request data. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.fix ? { fix: this.fix } : {}),
      ...(this.issues.length ? { issues: this.issues } : {}),
      ...(this.provider ? { provider: this.provider } : {}),
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
    };
  }
}

function composeMessage(message: string, issues: FieldIssue[], fix?: string): string {
  const lines = [message];
  for (const issue of issues) lines.push(`  - ${issue.field}: ${issue.problem}; expected ${issue.expected}`);
  if (fix) lines.push(`Fix: ${fix}`);
  return lines.join('\n');
}

export function isVaultError(error: unknown, code?: ErrorCode): error is VaultError {
  return error instanceof VaultError && (code === undefined || error.code === code);
}

/** Collects field issues so validation reports every bad field at once, not just the first. */
export class IssueList {
  readonly items: FieldIssue[] = [];
  /** Fixes suggested by the parsers that found the issues, in order, without repeats. */
  readonly fixes: string[] = [];

  add(field: string, problem: string, expected: string): this {
    this.items.push({ field, problem, expected });
    return this;
  }

  /** A parser that added issues names how to fix them (used when `throwIfAny` is given no fix). */
  suggestFix(fix: string): this {
    if (!this.fixes.includes(fix)) this.fixes.push(fix);
    return this;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Throws one error listing every collected issue, if there are any. */
  throwIfAny(code: 'INVALID_LINK' | 'INVALID_INPUT' | 'INVALID_CONFIG', message: string, options: Omit<VaultErrorOptions, 'issues'> = {}): void {
    if (this.empty) return;
    const fix = options.fix ?? (this.fixes.length > 0 ? this.fixes.join('; ') : undefined);
    throw new VaultError(code, message, { ...options, ...(fix !== undefined ? { fix } : {}), issues: this.items });
  }
}
