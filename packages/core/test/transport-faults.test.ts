import { describe, expect, it } from 'vitest';
import { isTlsErrorCode, retryAfterSeconds, transportFault } from '../src/provider.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('transportFault', () => {
  it('classifies Node and undici codes as network, timeout or TLS', () => {
    expect(transportFault(coded('ECONNREFUSED'))).toEqual({ kind: 'network', code: 'ECONNREFUSED' });
    expect(transportFault(coded('ENOTFOUND'))).toEqual({ kind: 'network', code: 'ENOTFOUND' });
    expect(transportFault(coded('UND_ERR_SOCKET'))).toEqual({ kind: 'network', code: 'UND_ERR_SOCKET' });
    expect(transportFault(coded('EHOSTDOWN'))).toEqual({ kind: 'network', code: 'EHOSTDOWN' });
    expect(transportFault(coded('ETIMEDOUT'))).toEqual({ kind: 'timeout', code: 'ETIMEDOUT' });
    expect(transportFault(coded('UND_ERR_CONNECT_TIMEOUT'))).toEqual({ kind: 'timeout', code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(transportFault(coded('CERT_HAS_EXPIRED'))).toEqual({ kind: 'tls', code: 'CERT_HAS_EXPIRED' });
    expect(transportFault(coded('DEPTH_ZERO_SELF_SIGNED_CERT'))).toEqual({ kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(transportFault(coded('ERR_TLS_CERT_ALTNAME_INVALID'))).toEqual({ kind: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('finds the fault in the cause chain, as fetch wraps it', () => {
    const wrapped = new TypeError('fetch failed', { cause: coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE') });
    expect(transportFault(wrapped)).toEqual({ kind: 'tls', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const twice = new Error('request failed', { cause: new Error('send failed', { cause: coded('ECONNRESET') }) });
    expect(transportFault(twice)).toEqual({ kind: 'network', code: 'ECONNRESET' });
    expect(transportFault(new TypeError('fetch failed'))).toEqual({ kind: 'network' });
  });

  it('reads a TimeoutError by its name (AbortSignal.timeout, SDK request timeouts)', () => {
    expect(transportFault(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toEqual({ kind: 'timeout' });
  });

  it('says nothing about errors that are not transport faults, and survives cycles', () => {
    expect(transportFault(coded('EACCES'))).toBeUndefined();
    expect(transportFault(Object.assign(new Error('denied'), { statusCode: 403 }))).toBeUndefined();
    expect(transportFault(new TypeError('x is not a function'))).toBeUndefined();
    expect(transportFault('ECONNREFUSED')).toBeUndefined();
    expect(transportFault(undefined)).toBeUndefined();
    const looped: { message: string; cause?: unknown } = { message: 'loop' };
    looped.cause = looped;
    expect(transportFault(looped)).toBeUndefined();
  });

  it('isTlsErrorCode knows OpenSSL verification codes only', () => {
    expect(isTlsErrorCode('SELF_SIGNED_CERT_IN_CHAIN')).toBe(true);
    expect(isTlsErrorCode('UNABLE_TO_GET_ISSUER_CERT_LOCALLY')).toBe(true);
    expect(isTlsErrorCode('ECONNREFUSED')).toBe(false);
    expect(isTlsErrorCode(undefined)).toBe(false);
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay-seconds, rounded up', () => {
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds(' 1.2 ', now)).toBe(2);
    expect(retryAfterSeconds('0', now)).toBe(0);
  });
  it('reads an HTTP date as the seconds until then, never negative', () => {
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('is undefined for an absent or unreadable header', () => {
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
    expect(retryAfterSeconds('', now)).toBeUndefined();
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
  });
});
