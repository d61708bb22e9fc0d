/**
 * `VaultApi` served by the agent: each method is one request. The CLI and the runner take it
 * where they would take an in-process `Vault`, so every command shares the agent's key,
 * sessions and cache without knowing it. When the agent answers VAULT_LOCKED, `onLocked`
 * (the CLI's: environment, keychain or a prompt) may unlock it, and the request is sent
 * once more; a lock answer means nothing was done, so the retry is safe.
 */
import type {
  AnyProvider,
  IntegrationInfo,
  ProviderFields,
  ProviderIO,
  Resolution,
  SecretEntry,
  SecretInfo,
  Session,
  SignOutOutcome,
  VaultApi,
  VaultError,
} from '@vault/core';
import type { AgentStatus, RequestContext, WireWarning } from '../shared/protocol.js';
import type { AgentConnection, RequestOptions } from './connection.js';
import { isLockedByAgent } from './locked.js';

export interface RemoteVaultOptions {
  /** The connection to use; called again when the previous one was closed while idle. */
  connect: () => Promise<AgentConnection>;
  context: RequestContext;
  /** Unlocks the agent after a VAULT_LOCKED answer; resolves true when it did (the request is then retried once). */
  onLocked?: (error: VaultError) => Promise<boolean>;
  /** Loads a provider in this process (`provider()` hands out code, not agent state). */
  loadProvider?: (id: string) => Promise<AnyProvider>;
  /** Store warnings the agent met while serving a request of this vault (a rolled-back vault file), as in-process `onWarning`. */
  onWarning?: (warning: WireWarning) => void;
}

export class RemoteVault implements VaultApi {
  private connection: Promise<AgentConnection> | undefined;
  private unlocking: Promise<boolean> | undefined;

  constructor(private readonly options: RemoteVaultOptions) {}

  setLocal(name: string, value: string, options?: { allowedDomains?: string[] }): Promise<void> {
    return this.call('setLocal', [name, value, options]);
  }

  link(name: string, providerId: string, fields: ProviderFields, options?: { allowedDomains?: string[] }): Promise<{ warnings: string[] }> {
    return this.call('link', [name, providerId, fields, options]);
  }

  setAllowedDomains(name: string, domains: string[]): Promise<void> {
    return this.call('setAllowedDomains', [name, domains]);
  }

  remove(name: string): Promise<void> {
    return this.call('remove', [name]);
  }

  rename(from: string, to: string): Promise<void> {
    return this.call('rename', [from, to]);
  }

  setEnabled(name: string, enabled: boolean): Promise<void> {
    return this.call('setEnabled', [name, enabled]);
  }

  list(filter?: string): Promise<SecretInfo[]> {
    return this.call('list', [filter]);
  }

  show(name: string): Promise<SecretInfo> {
    return this.call('show', [name]);
  }

  describe(name: string, options: { signal?: AbortSignal } = {}): Promise<SecretInfo & { upstream?: Record<string, unknown> }> {
    return this.call('describe', [name], withSignal(options.signal));
  }

  async entry(name: string): Promise<SecretEntry | undefined> {
    return (await this.call<SecretEntry | null>('entry', [name])) ?? undefined;
  }

  connect(providerId: string, fields: ProviderFields, io: ProviderIO): Promise<IntegrationInfo> {
    return this.call('connect', [providerId, fields], { io });
  }

  reauth(providerId: string, io: ProviderIO, fields?: ProviderFields): Promise<IntegrationInfo> {
    return this.call('reauth', [providerId, fields], { io });
  }

  disconnect(providerId: string, io: ProviderIO, fields?: ProviderFields): Promise<SignOutOutcome> {
    return this.call('disconnect', [providerId, fields], { io });
  }

  logout(providerId: string): Promise<SignOutOutcome> {
    return this.call('logout', [providerId]);
  }

  integrations(): Promise<IntegrationInfo[]> {
    return this.call('integrations');
  }

  async session(providerId: string): Promise<Session | undefined> {
    return (await this.call<Session | null>('session', [providerId])) ?? undefined;
  }

  setup(providerId: string, fields: ProviderFields, io: ProviderIO): Promise<Record<string, unknown> | null> {
    return this.call('setup', [providerId, fields], { io });
  }

  getCacheExpiryMinutes(): Promise<number> {
    return this.call('getCacheExpiryMinutes');
  }

  setCacheExpiryMinutes(minutes: number): Promise<void> {
    return this.call('setCacheExpiryMinutes', [minutes]);
  }

  resetCache(name?: string): Promise<void> {
    return this.call('resetCache', name === undefined ? [] : [name]);
  }

  async resolveNames(
    names: readonly string[],
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<Map<string, Resolution>> {
    const extra: RequestOptions = withSignal(options.signal);
    if (options.onProgress) extra.onProgress = options.onProgress;
    const entries = await this.call<Array<[string, Resolution]>>('resolveNames', [names], extra);
    return new Map(entries);
  }

  get(name: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    return this.call('get', [name], withSignal(options.signal));
  }

  async provider(providerId: string): Promise<AnyProvider> {
    if (this.options.loadProvider) return this.options.loadProvider(providerId);
    const { loadProvider } = await import('@vault/core');
    return loadProvider(providerId, { resolveFrom: this.options.context.resolveFrom });
  }

  /** Gives the agent the key material to open the vault; `{}` lets it try the OS keychain. */
  unlock(input: { passphrase?: string; passphraseFrom?: 'env' | 'prompt'; key?: string }): Promise<{ unlocked: true; already: boolean }> {
    return this.send('unlock', [input], {});
  }

  /** Drops the agent's key and cache; false when it was already locked. */
  async lock(): Promise<boolean> {
    return (await this.send<{ wasUnlocked: boolean }>('lock', [], {})).wasUnlocked;
  }

  status(): Promise<AgentStatus> {
    return this.send('status', [], {});
  }

  /** Closes the connection (the agent keeps running). */
  async close(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined);
    connection?.close();
  }

  private async call<T>(op: string, args: unknown[] = [], extra: RequestOptions = {}): Promise<T> {
    try {
      return await this.send<T>(op, args, extra);
    } catch (error) {
      if (!isLockedByAgent(error) || !this.options.onLocked) throw error;
      // Several calls may hit the lock at once (the runner resolves and lists together): unlock once.
      this.unlocking ??= this.options.onLocked(error).finally(() => (this.unlocking = undefined));
      if (!(await this.unlocking)) throw error;
      return this.send<T>(op, args, extra);
    }
  }

  private async send<T>(op: string, args: unknown[], extra: RequestOptions): Promise<T> {
    let connection = await (this.connection ??= this.options.connect());
    if (connection.closed) {
      // The agent closes connections that sit idle; a new request simply opens another.
      this.connection = this.options.connect();
      connection = await this.connection;
    }
    return connection.request<T>(op, args, {
      ...extra,
      ctx: this.options.context,
      ...(this.options.onWarning ? { onWarning: this.options.onWarning } : {}),
    });
  }
}

function withSignal(signal: AbortSignal | undefined): RequestOptions {
  return signal ? { signal } : {};
}
