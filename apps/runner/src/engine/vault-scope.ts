/**
 * The `vaultSecrets` run option of postman-runtime: a variable scope with the `vault:`
 * prefix whose variables carry `_domains`, plus `_allowScriptAccess`, the function the
 * runtime asks before it lets a script use `pm.vault`. A denial gives the runtime's own
 * "Vault access denied" error in the script.
 *
 * The runtime calls `scope.get/set/unset` directly for `pm.vault.*`; `set` and `unset`
 * are replaced on this instance so that:
 * - secrets linked to an external vault stay read-only (the change is refused with a
 *   warning: vaultlink never writes to an external vault);
 * - a value fetched from an external vault (or a text holding one) is never set as a local
 *   secret: `pm.vault.set('copy', linkedValue)` would write it to disk, and fetched values are
 *   kept in memory only. The change is refused with a warning;
 * - every accepted change is recorded and written to the LOCAL vault after the run;
 * - a value set by a script is masked in output from that moment on.
 */
import { loadCollectionSdk, loadRuntimeUtil, type PostmanVariableList, type PostmanVariableScope } from './postman-modules.js';

export const VAULT_PREFIX = 'vault:';

export interface ScopeSecret {
  name: string;
  value: string;
  /** Postman `_domains`; empty means any host. */
  allowedDomains: string[];
  /** Fetched from an external vault (expires inside the run; never saved from a script). */
  linked?: boolean;
}

export interface ScriptVaultChange {
  name: string;
  op: 'set' | 'unset';
  value?: string;
}

export interface VaultScopeOptions {
  secrets: readonly ScopeSecret[];
  /** Whether scripts may use pm.vault (`--allow-script-vault`). */
  allowScriptAccess: boolean;
  /** Linked secrets and their provider id: scripts may read them, never change them. */
  linked: ReadonlyMap<string, string>;
  /** Called with each value a script sets, before the script can print it. */
  onValue(value: string): void;
  /** Whether a text holds a value fetched from an external vault (in any form the masker knows). */
  holdsFetchedValue(text: string): boolean;
  warn(message: string): void;
}

export interface VaultScope {
  scope: PostmanVariableScope;
  /** The last change per name, in the order of those last changes. */
  changes(): ScriptVaultChange[];
  /**
   * A value fetched again during the run (not a script change), or undefined when that failed:
   * the variable then holds its own reference, so the request carries the literal reference
   * (which the send check reports) and the secret keeps its allowed domains.
   */
  replace(name: string, value: string | undefined): void;
}

export function createVaultScope(options: VaultScopeOptions): VaultScope {
  const sdk = loadCollectionSdk();
  const scope = new sdk.VariableScope({
    id: 'vaultlink',
    prefix: VAULT_PREFIX,
    _allowScriptAccess: async () => options.allowScriptAccess,
    values: options.secrets.map((secret) => ({
      key: `${VAULT_PREFIX}${secret.name}`,
      value: secret.value,
      ...(secret.allowedDomains.length > 0 ? { _domains: [...secret.allowedDomains] } : {}),
    })),
  });
  const changes = new Map<string, ScriptVaultChange>();
  const set = scope.set.bind(scope);
  const unset = scope.unset.bind(scope);
  const matching = memoizeDomainMatching(scope);

  const refuseLinked = (operation: string, name: string): boolean => {
    const provider = options.linked.get(name);
    if (provider === undefined) return false;
    options.warn(
      `pm.vault.${operation}("${name}") was ignored: "${name}" is linked to an external vault (${provider}), which is read-only for vaultlink. ` +
        `Change it in ${provider}, or use a local secret.`,
    );
    return true;
  };

  scope.set = (key: string, value: unknown, type?: string) => {
    const name = String(key);
    if (refuseLinked('set', name)) return;
    const text = value === undefined || value === null ? '' : String(value);
    if (options.holdsFetchedValue(text)) {
      options.warn(
        `pm.vault.set("${name}") was refused: its value holds a value fetched from an external vault, and fetched values are never written to disk. ` +
          'Reference the linked secret itself ({{vault:NAME}}, pm.vault.get) instead of copying it.',
      );
      return;
    }
    options.onValue(text);
    changes.delete(name);
    changes.set(name, { name, op: 'set', value: text });
    set(name, text, type);
    matching.clear();
  };

  scope.unset = (key: string) => {
    const name = String(key);
    if (refuseLinked('unset', name)) return;
    changes.delete(name);
    changes.set(name, { name, op: 'unset' });
    unset(name);
    matching.clear();
  };

  const replace = (name: string, value: string | undefined) => {
    set(name, value ?? `{{${VAULT_PREFIX}${name}}}`);
    matching.clear();
  };

  return { scope, changes: () => [...changes.values()], replace };
}

/**
 * postman-runtime picks the variables allowed for a URL with `__getMatchingVariables`, up to
 * twice per request, and each call clones every variable of the scope. Matching depends only
 * on the scheme and host (patterns are `<scheme>://<host>:*\/*`), so the runtime's own matcher
 * is prepared here (the runtime then skips preparing it again) and its result cached per
 * `scheme://authority`. The cache is dropped whenever a script changes the scope.
 */
function memoizeDomainMatching(scope: PostmanVariableScope): { clear(): void } {
  loadRuntimeUtil().prepareVaultVariableScope(scope);
  const original = scope.__getMatchingVariables;
  const cache = new Map<string, PostmanVariableList>();
  if (!original || !scope.__hasDomainPatterns) return { clear: () => undefined };
  scope.__getMatchingVariables = (url: string) => {
    const key = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0];
    if (key === undefined) return original(url);
    let list = cache.get(key);
    if (!list) {
      list = original(url);
      cache.set(key, list);
    }
    return list;
  };
  return { clear: () => cache.clear() };
}

/** Current `name → { value, domains }` of a scope, including values scripts have set. */
export function scopeEntries(scope: PostmanVariableScope): Array<{ name: string; value: string; domains: string[] }> {
  const entries: Array<{ name: string; value: string; domains: string[] }> = [];
  scope.values.each((variable) => {
    if (typeof variable.key !== 'string' || !variable.key.startsWith(VAULT_PREFIX)) return;
    const domains = variable._?.['domains'];
    entries.push({
      name: variable.key.slice(VAULT_PREFIX.length),
      value: typeof variable.value === 'string' ? variable.value : String(variable.value ?? ''),
      domains: Array.isArray(domains) ? domains.map(String) : [],
    });
  });
  return entries;
}
