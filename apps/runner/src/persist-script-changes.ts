/**
 * Writes what scripts did with `pm.vault.set/unset` to the LOCAL vault once the run is
 * over (Postman applies them too). Linked secrets never get here: the vault scope refused
 * those changes during the run. A local secret keeps its allowed domains when a script
 * changes its value; a new one gets none (any host), as in Postman.
 */
import { isVaultError, VaultError, type SecretInfo, type VaultApi } from '@vault/core';
import type { ScriptVaultChange } from './engine/vault-scope.js';

export interface PersistOutcome {
  saved: Array<{ name: string; op: 'set' | 'unset' }>;
  failed: Array<{ name: string; op: 'set' | 'unset'; error: VaultError }>;
}

export async function persistScriptChanges(
  vault: VaultApi,
  changes: readonly ScriptVaultChange[],
  secrets: readonly SecretInfo[],
): Promise<PersistOutcome> {
  const outcome: PersistOutcome = { saved: [], failed: [] };
  const known = new Map(secrets.map((info) => [info.name, info]));
  for (const change of changes) {
    const existing = known.get(change.name);
    try {
      if (existing?.kind === 'linked') {
        // Linked after the run started (another process): still never written from a script.
        throw new VaultError('INVALID_INPUT', `"${change.name}" is now linked to an external vault; the script's change was not saved.`);
      }
      if (change.op === 'set') {
        await vault.setLocal(change.name, change.value ?? '', existing ? { allowedDomains: existing.allowedDomains } : {});
      } else if (existing) {
        await vault.remove(change.name);
      } else {
        continue; // unset of a secret that never existed: nothing to do
      }
      outcome.saved.push({ name: change.name, op: change.op });
    } catch (error) {
      const vaultError = isVaultError(error)
        ? error
        : new VaultError('INTERNAL', `Saving the script's change to "${change.name}" failed.`, { cause: error });
      outcome.failed.push({ name: change.name, op: change.op, error: vaultError });
    }
  }
  return outcome;
}
