/** Errors as the page gets them: the VaultError's JSON (code, message, fix, issues), with an HTTP status that fits. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { serializeError } from '../shared/wire-errors.js';

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  INVALID_REFERENCE: 400,
  INVALID_LINK: 400,
  INVALID_INPUT: 400,
  INVALID_CONFIG: 400,
  NOT_FOUND: 404,
  VAULT_LOCKED: 423,
  BAD_PASSPHRASE: 403,
  PROVIDER_UNAVAILABLE: 502,
  TIMEOUT: 504,
  THROTTLED: 429,
  INTERNAL: 500,
};

export function errorResponse(c: Context, error: unknown): Response {
  const body = serializeError(error, 'The agent failed on this request unexpectedly.');
  // Everything else is a request the vault could not carry out as asked (not connected, denied, unresolved, ...).
  return c.json({ error: body }, STATUS_BY_CODE[body.code] ?? 409);
}
