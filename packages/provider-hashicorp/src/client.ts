/**
 * node-vault clients for one Vault address + namespace + token. node-vault (and axios) are
 * imported on the first network call only, so loading the provider loads no SDK.
 */
import { readFile } from 'node:fs/promises';
import { PromiseCache, VaultError } from '@vault/core/provider';
import { PROVIDER_ID } from './options.js';
import { loadNodeVault } from './sdk.js';
import { createTransport, type RequestPromiseLike } from './transport.js';

/** Where and as whom to talk to Vault. Nothing here is secret except `token`. */
export interface VaultConnection {
  /** API address without `/v1`: `https://vault.example.com:8200`. */
  vaultAddr: string;
  namespace?: string;
  /** Path of a PEM CA file (VAULT_CACERT). */
  caCert?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
}

/** Tuning knobs, mostly for tests (the defaults suit real Vault). */
export interface ClientTuning {
  retries?: number;
  retryBaseDelayMs?: number;
}

/** The few Vault calls we make; every one takes a signal and rejects with node-vault's raw error. */
export interface VaultCalls {
  readonly connection: VaultConnection;
  read(path: string, options?: CallOptions): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Vault's JSON replies differ per path; each caller checks what it reads
  write(path: string, data: unknown, options?: CallOptions): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- as read
}

/** A connection with only the parts that are set. */
export function vaultConnection(vaultAddr: string, namespace?: string, caCert?: string): VaultConnection {
  return { vaultAddr, ...(namespace ? { namespace } : {}), ...(caCert ? { caCert } : {}) };
}

/** Joins path segments, URL-encoding each one (a secret may be called `a b`). */
export function vaultPath(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** Strips a trailing slash and a trailing `/v1`, so `https://v:8200/v1/` and `https://v:8200` are one address. */
export function normalizeVaultAddr(addr: string): string {
  return addr.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export class ClientFactory {
  private transport?: Promise<RequestPromiseLike>;
  /** CA file contents by path; a failed read is not kept, so fixing the file needs no restart. */
  private readonly caFiles = new PromiseCache<Buffer>();

  constructor(private readonly tuning: ClientTuning = {}) {}

  /** `defaults` apply to every call that passes no options of its own (setup's many calls share one bound). */
  async create(connection: VaultConnection, token?: string, defaults: CallOptions = {}): Promise<VaultCalls> {
    const [{ default: nodeVault }, transport] = await Promise.all([loadNodeVault(), this.transportFor(connection.caCert)]);
    const client = nodeVault({
      endpoint: normalizeVaultAddr(connection.vaultAddr),
      'request-promise': transport,
      noCustomHTTPVerbs: true,
    });
    // node-vault falls back to VAULT_TOKEN / VAULT_NAMESPACE from process.env; a login call
    // must not carry a token from the environment to another server, so set both outright.
    client.token = token ?? '';
    (client as unknown as { namespace: string }).namespace = connection.namespace ?? '';
    const requestOptions = (options: CallOptions = defaults) => ({
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    });
    return {
      connection,
      read: (path, options) => client.read(path, requestOptions(options)),
      write: (path, data, options) => client.write(path, data, requestOptions(options)),
    };
  }

  private transportFor(caCert: string | undefined): Promise<RequestPromiseLike> {
    // One transport per CA file; the common case (no CA) shares one.
    if (!caCert) return (this.transport ??= createTransport(this.transportOptions()));
    const ca = this.caFiles.get(caCert, () =>
      readFile(caCert).catch((error: NodeJS.ErrnoException) => {
        throw new VaultError('INVALID_CONFIG', `Cannot read the Vault CA certificate file ${caCert} (${error.code ?? error.message}).`, {
          provider: PROVIDER_ID,
          issues: [
            { field: 'ca-cert', problem: `cannot be read (${error.code ?? 'error'})`, expected: 'the path of a PEM file (VAULT_CACERT)' },
          ],
        });
      }),
    );
    return ca.then((pem) => createTransport({ ...this.transportOptions(), ca: pem }));
  }

  private transportOptions() {
    return { retries: this.tuning.retries ?? 3, retryBaseDelayMs: this.tuning.retryBaseDelayMs ?? 100 };
  }
}
