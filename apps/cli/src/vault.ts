/**
 * Opening the local vault for a CLI command: VAULTLINK_HOME picks the directory; the data key
 * comes from the OS keychain where a persistent one exists, else from VAULTLINK_PASSPHRASE or
 * a hidden prompt on a terminal. Without a terminal and without the variable, the store fails
 * with VAULT_LOCKED naming VAULTLINK_PASSPHRASE.
 */
import {
  LINKS_MANIFEST_ENV,
  Vault,
  VaultError,
  initFileStore,
  loadProvider,
  openFileStore,
  vaultExists,
  type AnyProvider,
  type StoreWarning,
  type VaultApi,
} from '@vault/core';
import { openAgentVault } from './agent-vault.js';
import type { CliContext } from './context.js';

export interface InitResult {
  path: string;
  home: string;
  /** `keychain` or `passphrase`. */
  protection: string;
  /** False when a vault was already there (it is left unchanged). */
  created: boolean;
  keychainUnavailableReason?: string;
}

/**
 * The vault a command uses: the agent's when it serves this command (see agent-mode.ts),
 * otherwise opened in this process. `preloaded`: the provider already loaded to build its
 * flags, so it is not loaded twice. `--concurrency` runs the command in this process: the
 * agent's per-provider gate is shared by every client, and one command must not retune it.
 * So does VAULTLINK_LINKS: the manifest belongs to this command, not to every client of the agent.
 */
export async function openCliVault(
  ctx: CliContext,
  preloaded: AnyProvider[] = [],
  options: { concurrency?: number } = {},
): Promise<VaultApi> {
  // VAULTLINK_LINKS is this command's manifest: the agent serves every client with its own environment.
  const inProcess = options.concurrency !== undefined || Boolean(ctx.env[LINKS_MANIFEST_ENV]);
  const remote = inProcess ? undefined : await openAgentVault(ctx);
  if (remote) {
    ctx.viaAgent = true;
    return remote;
  }
  const store = await openFileStore({
    env: ctx.env,
    onWarning: storeWarnings(ctx),
    ...passphrasePrompt(ctx, false),
    ...(ctx.onKeyDerivation ? { onKeyDerivation: ctx.onKeyDerivation } : {}),
  });
  return new Vault({ store, env: ctx.env, providers: preloaded, ...(options.concurrency ? { concurrency: options.concurrency } : {}) });
}

export async function initCliVault(ctx: CliContext): Promise<InitResult> {
  const existed = await vaultExists({ env: ctx.env });
  const store = await initFileStore({ env: ctx.env, onWarning: storeWarnings(ctx), ...passphrasePrompt(ctx, !existed) });
  return {
    path: store.path,
    home: store.home,
    protection: store.keyProtection,
    created: store.created,
    ...(store.keychainUnavailableReason ? { keychainUnavailableReason: store.keychainUnavailableReason } : {}),
  };
}

/** Providers resolve from the CLI's own install too, where optional provider peers live. */
export function loadCliProvider(id: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<AnyProvider> {
  return loadProvider(id, { env });
}

/** Store warnings (a rolled-back vault file) go to stderr as warnings; the command carries on. */
function storeWarnings(ctx: CliContext): (warning: StoreWarning) => void {
  return (warning) => ctx.warn(warning.message);
}

/** A hidden prompt when a person is there; otherwise none, so the store reports VAULT_LOCKED. */
function passphrasePrompt(ctx: CliContext, creating: boolean): { passphrase?: () => Promise<string> } {
  if (!ctx.io.interactive) return {};
  return {
    passphrase: async () => {
      const first = await ctx.io.prompt(creating ? 'New vault passphrase' : 'Vault passphrase', { secret: true });
      if (!creating) return first;
      const again = await ctx.io.prompt('Repeat the passphrase', { secret: true });
      if (first !== again) {
        throw new VaultError('INVALID_INPUT', 'The two passphrases differ; nothing was created.', {
          issues: [{ field: 'passphrase', problem: 'the repeat does not match', expected: 'the same passphrase twice' }],
          fix: 'vaultlink init',
        });
      }
      return first;
    },
  };
}
