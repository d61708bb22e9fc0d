/**
 * The VaultApi methods the agent serves, from wire arguments to a JSON-able result. Sign-in
 * operations (connect, reauth, disconnect, logout, setup) run on a Vault that shares the
 * agent's store and providers but takes the team config from the client's working directory
 * and VAULTLINK_TEAM_CONFIG, as the same command would in-process.
 */
import { Vault, VaultError, type ProviderFields, type ProviderIO, type VaultStore } from '@vault/core';
import type { RequestContext, VaultOp } from '../shared/protocol.js';

export interface OpCall {
  /** The store under the agent's Vault (sign-in requests build their own Vault over it). */
  store: VaultStore;
  ctx?: RequestContext;
  io: ProviderIO;
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

type Handler = (vault: Vault, args: unknown[], call: OpCall) => Promise<unknown>;

const str = (value: unknown, field: string): string => {
  if (typeof value !== 'string') throw invalidArgument(field, 'a string');
  return value;
};
const fields = (value: unknown): ProviderFields =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as ProviderFields) : {};
const domains = (value: unknown): { allowedDomains?: string[] } => {
  const list = (value as { allowedDomains?: unknown } | undefined)?.allowedDomains;
  return Array.isArray(list) ? { allowedDomains: list.map((d) => str(d, 'allowedDomains')) } : {};
};

function invalidArgument(field: string, expected: string): VaultError {
  return new VaultError('INVALID_INPUT', `The agent received a malformed request (${field}).`, {
    issues: [{ field, problem: 'is missing or of the wrong type', expected }],
    fix: { action: 'agent', command: 'restart', hint: 'so the agent of the installed vaultlink version serves it' },
  });
}

/** A Vault for one sign-in request: same store and providers, the client's team config location. */
function signInVault(vault: Vault, call: OpCall): Vault {
  return new Vault({
    store: call.store,
    env: call.io.env,
    ...(call.ctx?.cwd ? { cwd: call.ctx.cwd } : {}),
    loadProvider: (id) => vault.provider(id),
  });
}

export const VAULT_HANDLERS: Record<VaultOp, Handler> = {
  setLocal: (v, [name, value, options]) => v.setLocal(str(name, 'name'), str(value, 'value'), domains(options)),
  link: (v, [name, provider, given, options]) => v.link(str(name, 'name'), str(provider, 'provider'), fields(given), domains(options)),
  setAllowedDomains: (v, [name, list]) =>
    v.setAllowedDomains(str(name, 'name'), Array.isArray(list) ? list.map((d) => str(d, 'domains')) : []),
  remove: (v, [name]) => v.remove(str(name, 'name')),
  rename: (v, [from, to]) => v.rename(str(from, 'from'), str(to, 'to')),
  setEnabled: (v, [name, enabled]) => v.setEnabled(str(name, 'name'), enabled === true),
  list: (v, [filter]) => v.list(typeof filter === 'string' ? filter : undefined),
  show: (v, [name]) => v.show(str(name, 'name')),
  describe: (v, [name], call) => v.describe(str(name, 'name'), { signal: call.signal }),
  entry: async (v, [name]) => (await v.entry(str(name, 'name'))) ?? null,
  connect: (v, [provider, given], call) => signInVault(v, call).connect(str(provider, 'provider'), fields(given), call.io),
  reauth: (v, [provider, given], call) => signInVault(v, call).reauth(str(provider, 'provider'), call.io, fields(given)),
  disconnect: (v, [provider, given], call) => signInVault(v, call).disconnect(str(provider, 'provider'), call.io, fields(given)),
  logout: (v, [provider], call) => signInVault(v, call).logout(str(provider, 'provider')),
  setup: (v, [provider, given], call) => signInVault(v, call).setup(str(provider, 'provider'), fields(given), call.io),
  integrations: (v) => v.integrations(),
  session: async (v, [provider]) => (await v.session(str(provider, 'provider'))) ?? null,
  getCacheExpiryMinutes: (v) => v.getCacheExpiryMinutes(),
  setCacheExpiryMinutes: (v, [minutes]) => v.setCacheExpiryMinutes(minutes as number),
  resetCache: async (v, [name]) => (typeof name === 'string' ? v.resetCacheFor(name) : v.resetCache()),
  resolveNames: async (v, [names], call) => {
    if (!Array.isArray(names)) throw invalidArgument('names', 'a list of secret names');
    const resolved = await v.resolveNames(
      names.map((n) => str(n, 'names')),
      { signal: call.signal, ...(call.onProgress ? { onProgress: call.onProgress } : {}) },
    );
    return [...resolved];
  },
  get: (v, [name], call) => v.get(str(name, 'name'), { signal: call.signal }),
};
