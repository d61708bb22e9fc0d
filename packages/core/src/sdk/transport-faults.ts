/**
 * Faults below HTTP, classified once for every provider: a request that timed out, a TLS
 * certificate that could not be verified, or a network that did not carry the request.
 * Node, undici and the SDKs on top of them report these as error `code`s, often wrapped in
 * other errors (`fetch failed` → cause → ECONNREFUSED), so the whole cause chain is read.
 * Providers turn the result into PROVIDER_UNAVAILABLE with their own words and fix; what an
 * answered request means (401, 403, 404, 429, vault error codes) stays with each provider.
 * Also `retryAfterSeconds`, for a THROTTLED error's `retryAfterSeconds`.
 */

export type TransportFaultKind = 'timeout' | 'tls' | 'network';

export interface TransportFault {
  kind: TransportFaultKind;
  /** The error code that says so (ECONNREFUSED, CERT_HAS_EXPIRED, ...); absent when only the error's name or shape says so. */
  code?: string;
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EADDRNOTAVAIL',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EPROTO',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
/** OpenSSL's verification codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...) and Node's ERR_TLS_*. */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|^ERR_TLS_|^ERR_SSL_/;
/** How deep to follow `cause` (SDKs wrap two or three times; a cycle must not loop). */
const MAX_DEPTH = 6;

/** True for the code of a TLS verification or handshake failure. */
export function isTlsErrorCode(code: string | undefined): boolean {
  return code !== undefined && TLS_CODE.test(code);
}

/** The transport fault anywhere in `error`'s cause chain, or undefined when the request was carried (or the error says nothing). */
export function transportFault(error: unknown): TransportFault | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const { code, name, message, cause } = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      if (isTlsErrorCode(code)) return { kind: 'tls', code };
      if (TIMEOUT_CODES.has(code)) return { kind: 'timeout', code };
      if (NETWORK_CODES.has(code)) return { kind: 'network', code };
    }
    // What AbortSignal.timeout and SDK request timeouts throw.
    if (name === 'TimeoutError') return { kind: 'timeout', ...(typeof code === 'string' ? { code } : {}) };
    // undici's fetch without a cause that says more.
    if (name === 'TypeError' && message === 'fetch failed' && cause === undefined) return { kind: 'network' };
    if (cause === current) break;
    current = cause;
  }
  return undefined;
}

/**
 * Seconds to wait from a Retry-After header: delay-seconds or an HTTP date (RFC 9110 §10.2.3),
 * rounded up, never negative. undefined when the header is absent or unreadable.
 */
export function retryAfterSeconds(header: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}
