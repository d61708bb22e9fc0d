/**
 * What the runner does with a request that is about to leave with a literal `{{vault:NAME}}`
 * (literal-references.ts finds them): under --fail-on-unresolved (the default in CI) the
 * request is not sent, the run is stopped, and run() rejects with UNRESOLVED naming each
 * reference; otherwise it is sent as Postman sends it, after one warning per reference.
 * Names and places only: a literal reference holds no value.
 */
import { VaultError } from '@vault/core';
import type { RunMessages } from '../messages.js';
import { literalReferences, type OutgoingRequest } from './literal-references.js';
import type { PostmanVariableScope } from './postman-modules.js';
import { scopeEntries } from './vault-scope.js';

export interface SendCheckOptions {
  failFast: boolean;
  /** The run's vault scope, once the run has started. */
  scope(): PostmanVariableScope | undefined;
  /** Why a name has no value in the scope (resolve or refresh failures), when known. */
  reasonFor(name: string): string | undefined;
  /** Whether the run already warned about this name before it started (no second warning). */
  warnedBefore(name: string): boolean;
  messages: RunMessages;
  /** Stops the run after the current request. */
  abortRun(): void;
}

export interface RefusedReference {
  name: string;
  part: string;
  host: string;
  reason: string;
}

export interface SendCheck {
  beforeSend(request: unknown): Error | undefined;
  /** References whose request was not sent. */
  refused(): RefusedReference[];
}

export function createSendCheck(options: SendCheckOptions): SendCheck {
  const refused: RefusedReference[] = [];
  const warned = new Set<string>();
  return {
    refused: () => [...refused],
    beforeSend(request) {
      const found = literalReferences(request as OutgoingRequest);
      if (found.length === 0) return undefined;
      const host = hostOf(request as OutgoingRequest);
      const entries = found.map(({ name, part }) => ({ name, part, host, reason: reasonFor(name, options) }));
      if (options.failFast) {
        refused.push(...entries);
        options.abortRun();
        return new Error(
          `vaultlink did not send this request (--fail-on-unresolved): ${entries.map((entry) => `{{vault:${entry.name}}} in the ${entry.part} ${entry.reason}`).join('; ')}.`,
        );
      }
      for (const entry of entries) {
        const key = `${entry.name}\u0000${entry.reason}`;
        if (warned.has(key) || options.warnedBefore(entry.name)) continue;
        warned.add(key);
        options.messages.warn(`{{vault:${entry.name}}} was sent literally to ${host} (${entry.part}): it ${entry.reason}.`);
      }
      return undefined;
    },
  };
}

/** UNRESOLVED for the references whose requests were not sent. */
export function refusedError(refused: readonly RefusedReference[]): VaultError {
  const lines = refused.map(
    (entry) => `  - {{vault:${entry.name}}} in the ${entry.part} of a request to ${entry.host}: it ${entry.reason}`,
  );
  return new VaultError(
    'UNRESOLVED',
    `A request still held an unresolved vault reference, so it was not sent and the run was stopped (--fail-on-unresolved):\n${lines.join('\n')}`,
    {
      // Data, said by the host (the vaultlink CLI: `vaultlink list (...)`), as for references refused before the run.
      fix: {
        action: 'list',
        hint: 'fix the names, links or allowed domains listed, or run with --no-fail-on-unresolved to send them literally',
      },
      details: { unresolved: refused.map(({ name, part, host, reason }) => ({ name, part, host, reason })) },
    },
  );
}

function reasonFor(name: string, options: SendCheckOptions): string {
  const scope = options.scope();
  const entry = scope ? scopeEntries(scope).find((candidate) => candidate.name === name) : undefined;
  if (entry && entry.domains.length > 0) return `is not allowed for this host (allowed domains: ${entry.domains.join(', ')})`;
  const known = options.reasonFor(name);
  if (known) return `could not be resolved (${known})`;
  return entry ? 'was not substituted by the Postman engine' : 'could not be resolved';
}

function hostOf(request: OutgoingRequest): string {
  try {
    return new URL(String(request.url?.toString() ?? '')).host || 'an unknown host';
  } catch {
    return 'an unknown host';
  }
}
