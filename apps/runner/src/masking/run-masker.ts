/**
 * The run's masker is core's SecretMasker (the one owner of masking) plus the forms values take
 * on the wire in a run: percent-encoded exactly as postman-runtime encodes URLs (it leaves `@`,
 * `&`, `'` ... as they are, so the URL an echo server reports or htmlextra links to differs from
 * encodeURIComponent). Core adds the XML/HTML escapes of these forms too.
 */
import { SecretMasker } from '@vault/core';
import { loadUrlEncoder } from '../engine/postman-modules.js';

export function createRunMasker(values: Iterable<string> = []): SecretMasker {
  return new SecretMasker(values, { extraForms: runtimeUrlForms });
}

/** The value as postman-runtime puts it in a URL's path, query, user info or fragment. */
function runtimeUrlForms(value: string): string[] {
  const encoder = loadUrlEncoder();
  return [
    encoder.encodePath(value),
    encoder.encodeQueryParam(value),
    encoder.encodeQueryParam({ key: null, value }).replace(/^=/, ''),
    encoder.encodeUserInfo(value),
    encoder.encodeFragment(value),
  ];
}
