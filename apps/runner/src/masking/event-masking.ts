/**
 * newman's cli reporter word-wraps what it prints (console output, verbose bodies, the
 * failure table) at the terminal width, so a value can be split across two lines before
 * it is written, and masking the written text alone would miss it. Masking therefore
 * starts earlier, on the events newman emits to reporters and to its own run summary:
 * error messages, console messages, assertion texts and, with --verbose, the request and
 * response. Payloads are copied, never changed in place: postman-runtime and scripts
 * keep the real objects.
 */
import { loadCollectionSdk, type NewmanEmitter } from '../engine/postman-modules.js';
import type { SecretMasker } from '@vault/core';

export function maskEmitterEvents(emitter: NewmanEmitter, masker: SecretMasker, options: { verbose: boolean }): void {
  const emit = emitter.emit.bind(emitter);
  emitter.emit = (name: string | symbol, ...args: unknown[]): boolean => {
    if (masker.size === 0 || name === 'start' || name === 'done' || name === 'beforeDone') return emit(name, ...args);
    const [error, payload, ...rest] = args;
    return emit(name, error ? maskError(error, masker) : error, maskPayload(name, payload, masker, options.verbose), ...rest);
  };
}

function maskError(error: unknown, masker: SecretMasker): unknown {
  if (!error || typeof error !== 'object') return typeof error === 'string' ? masker.mask(error) : error;
  const source = error as Record<string, unknown>;
  const copy = Object.create(Object.getPrototypeOf(error)) as Record<string, unknown>;
  for (const key of new Set([...Object.getOwnPropertyNames(error), 'message', 'stack', 'name'])) {
    const value = source[key];
    if (value === undefined) continue;
    copy[key] = typeof value === 'string' ? masker.mask(value) : key === 'cause' ? undefined : value;
  }
  return copy;
}

function maskPayload(name: string | symbol, payload: unknown, masker: SecretMasker, verbose: boolean): unknown {
  if (!payload || typeof payload !== 'object') return payload;
  const source = payload as Record<string, unknown>;
  const verboseRequest = verbose && name === 'request';
  // Most events carry nothing printable: pass them through without a copy.
  if (!verboseRequest && source['messages'] === undefined && source['error'] === undefined && typeof source['assertion'] !== 'string')
    return payload;
  const copy: Record<string, unknown> = { ...source };
  if (Array.isArray(source['messages'])) copy['messages'] = masker.maskJson(source['messages']);
  if (source['error'] !== undefined) copy['error'] = maskError(source['error'], masker);
  if (typeof source['assertion'] === 'string') copy['assertion'] = masker.mask(source['assertion']);
  if (verboseRequest) {
    if (source['request']) copy['request'] = maskedRequest(source['request'], masker);
    if (source['response']) copy['response'] = maskedResponse(source['response'], masker);
  }
  return copy;
}

interface Serializable {
  toJSON(): Record<string, unknown>;
}

function maskedRequest(request: unknown, masker: SecretMasker): unknown {
  const json = (request as Serializable).toJSON();
  if (!masker.contains(JSON.stringify(json))) return request;
  return new (loadCollectionSdk().Request)(masker.maskJson(json));
}

function maskedResponse(response: unknown, masker: SecretMasker): unknown {
  const text = (response as { text?: () => string }).text?.() ?? '';
  const json = (response as Serializable).toJSON();
  const headers = JSON.stringify(json['header'] ?? []);
  if (!masker.contains(text) && !masker.contains(headers)) return response;
  const { stream: _stream, ...rest } = json;
  // A stream, as in a real response: reporters such as htmlextra read the body from it.
  return new (loadCollectionSdk().Response)({
    ...(masker.maskJson(rest) as Record<string, unknown>),
    stream: Buffer.from(masker.mask(text), 'utf8'),
  });
}
