/**
 * Two guards built on the run's vault scope, both reading the scope's CURRENT values (a
 * script may have set one) and deciding domains exactly as postman-runtime does, through
 * the matcher the runtime attaches to the scope when the run starts.
 *
 * - redirectPolicyFor: a redirect must not carry a domain-restricted value to a host
 *   outside its allowed domains.
 * - scriptContextGuardFor: after a request is sent, postman-runtime hands test scripts
 *   the RESOLVED request (`pm.request.headers`, `pm.request.url`, auth). Without this
 *   guard a script without vault access could read a value there and send it anywhere.
 *   Values are put back as their `{{vault:NAME}}` references, as the script wrote them.
 */
import { loadCollectionSdk, type PostmanVariableScope } from './postman-modules.js';
import type { RedirectPolicy } from './redirect-guard.js';
import { scopeEntries } from './vault-scope.js';
import type { SecretMasker } from '@vault/core';
import { createRunMasker } from '../masking/run-masker.js';

export function redirectPolicyFor(scope: PostmanVariableScope): RedirectPolicy {
  return (target, outgoing) => {
    const restricted = scopeEntries(scope).filter((entry) => entry.domains.length > 0 && entry.value.length > 0);
    if (restricted.length === 0) return undefined;
    const allowed = new Set<string>();
    // The scope is prepared (matcher attached) when it is created; without a matcher nothing is allowed.
    scope.__getMatchingVariables?.(target).each((variable) => allowed.add(variable.key));
    for (const entry of restricted) {
      if (allowed.has(`vault:${entry.name}`)) continue;
      const masker = createRunMasker([entry.value]);
      if (!masker.contains(outgoing)) continue;
      return (
        `vaultlink stopped a redirect to ${originOf(target)}: the request carries vault secret "${entry.name}", ` +
        `whose allowed domains (${entry.domains.join(', ')}) do not include that host. ` +
        `If that host may receive it, add it: \`vaultlink domains ${entry.name} ${entry.domains.join(' ')} HOST\`; ` +
        'or turn off redirects for this request (protocolProfileBehavior.followRedirects: false).'
      );
    }
    return undefined;
  };
}

export function scriptContextGuardFor(scope: PostmanVariableScope): (options: { context?: Record<string, unknown> }) => void {
  const sdk = loadCollectionSdk();
  const maskerFor = lastMasker();
  return (options) => {
    const context = options.context;
    const request = context?.['request'];
    if (!context || request === undefined || request === null) return;
    const entries = scopeEntries(scope).filter((entry) => entry.value.length > 0);
    if (entries.length === 0) return;
    const json = JSON.stringify(request);
    const masked = replaceValues(json, entries, maskerFor);
    if (masked !== json) context['request'] = new sdk.Request(JSON.parse(masked));
  };
}

/** Replaces each value (JSON-escaped, as it sits in JSON text) with its reference; longest first. */
function replaceValues(
  json: string,
  entries: Array<{ name: string; value: string }>,
  maskerFor: (values: string[]) => SecretMasker,
): string {
  let out = json;
  const sorted = [...entries].sort((a, b) => b.value.length - a.value.length);
  for (const entry of sorted) {
    const reference = JSON.stringify(`{{vault:${entry.name}}}`).slice(1, -1);
    out = out.split(JSON.stringify(entry.value).slice(1, -1)).join(reference);
  }
  const masker = maskerFor(sorted.map((entry) => entry.value));
  // What is left are encoded forms (percent-encoding, Basic credentials): masked outright.
  return masker.contains(out) ? JSON.stringify(masker.maskJson(JSON.parse(out))) : out;
}

/**
 * The guard runs before every script, and a masker derives many encoded forms of each value
 * when built; the values change only when a script sets one, so the last masker is reused
 * while the values are the same.
 */
function lastMasker(): (values: string[]) => SecretMasker {
  let key: string | undefined;
  let masker = createRunMasker();
  return (values) => {
    const next = JSON.stringify(values);
    if (next !== key) {
      masker = createRunMasker(values);
      key = next;
    }
    return masker;
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'another host';
  }
}
