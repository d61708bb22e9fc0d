/**
 * Where the time bounds of provider calls come from: the Vault's options, else the
 * environment (VAULTLINK_REQUEST_TIMEOUT_MS, VAULTLINK_TOTAL_TIMEOUT_MS), else the defaults
 * (15 s per request, 45 s per call with its retries). A bad value is INVALID_CONFIG naming it.
 */
import { IssueList } from '../errors.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS, type CallBounds } from './gate.js';

export const REQUEST_TIMEOUT_ENV = 'VAULTLINK_REQUEST_TIMEOUT_MS';
export const TOTAL_TIMEOUT_ENV = 'VAULTLINK_TOTAL_TIMEOUT_MS';
/** No bound may be longer than an hour: a typo must not turn a bound into "forever". */
const MAX_BOUND_MS = 3_600_000;

export function boundsFromEnv(env: Readonly<Record<string, string | undefined>>, given: Partial<CallBounds> = {}): CallBounds {
  const issues = new IssueList();
  const read = (value: number | undefined, name: string, fallback: number): number => {
    if (value !== undefined) {
      if (!validBound(value)) issues.add(name, `${value} is out of range`, `whole milliseconds from 1 to ${MAX_BOUND_MS}`);
      return value;
    }
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = Number(raw.trim());
    if (!validBound(parsed)) {
      issues.add(name, `"${raw}" is not a number of milliseconds in range`, `whole milliseconds from 1 to ${MAX_BOUND_MS}, e.g. 15000`);
      return fallback;
    }
    return parsed;
  };
  const requestTimeoutMs = read(given.requestTimeoutMs, REQUEST_TIMEOUT_ENV, DEFAULT_REQUEST_TIMEOUT_MS);
  const totalTimeoutMs = read(given.totalTimeoutMs, TOTAL_TIMEOUT_ENV, DEFAULT_TOTAL_TIMEOUT_MS);
  issues.throwIfAny('INVALID_CONFIG', 'Invalid time bounds for provider calls.', {
    fix: `set ${REQUEST_TIMEOUT_ENV} and ${TOTAL_TIMEOUT_ENV} to whole milliseconds, or unset them for the defaults`,
  });
  return { requestTimeoutMs, totalTimeoutMs: Math.max(totalTimeoutMs, 1) };
}

function validBound(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && value <= MAX_BOUND_MS;
}
