/**
 * Unresolved references, said the same way by every command that resolves before acting
 * (`resolve`, `exec`): one line per name with its reason and code, the fixes as commands, and
 * every name's details in `--json`.
 */
import { VaultError, isUrlAllowed, type Resolution } from '@vault/core';
import { renderFix } from '@vault/agent/fix-text';

export type Unresolved = { name: string; reason: string; code: string; message: string; fix?: string };

export function problemOf(name: string, resolution: Resolution | undefined, url: string | undefined): Unresolved[] {
  if (!resolution) return [{ name, reason: 'error', code: 'INTERNAL', message: 'no result was returned for this name' }];
  if (!resolution.ok) {
    const entry: Unresolved = { name, reason: resolution.reason, code: resolution.code, message: firstLine(resolution.message) };
    if (resolution.fix) entry.fix = renderFix(resolution.fix);
    return [entry];
  }
  if (url !== undefined && !isUrlAllowed(url, resolution.allowedDomains)) {
    return [
      {
        name,
        reason: 'domain-not-allowed',
        code: 'DOMAIN_NOT_ALLOWED',
        message: `allowed domains (${resolution.allowedDomains.join(', ')}) do not match ${url}`,
        fix: `vaultlink domains ${name} ...`,
      },
    ];
  }
  return [];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Fixes named in full on the Fix line; the rest are counted (each name's fix is in `details.unresolved`). */
const MAX_FIXES_SHOWN = 3;

export function unresolvedError(unresolved: Unresolved[], consequence: string): VaultError {
  const lines = unresolved.map((u) => `  - ${u.name}: ${u.reason} (${u.code}) ${u.message}`);
  const fixes = [...new Set(unresolved.map((u) => u.fix).filter((f): f is string => Boolean(f)))];
  const shown = fixes.slice(0, MAX_FIXES_SHOWN).join('; ');
  const more = fixes.length - MAX_FIXES_SHOWN;
  return new VaultError('UNRESOLVED', `${unresolved.length} reference(s) could not be resolved; ${consequence}:\n${lines.join('\n')}`, {
    fix: fixes.length === 0 ? 'vaultlink list' : more > 0 ? `${shown}; and ${more} more (--json lists each name's fix)` : shown,
    details: { unresolved },
  });
}
