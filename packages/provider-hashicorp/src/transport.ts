/**
 * The HTTP layer node-vault runs on. node-vault 0.12's built-in axios wrapper drops
 * `signal`, so we hand it our own axios instance through its `request-promise` hook:
 * the AbortSignal and timeout reach every request, VAULT_CACERT becomes the https agent's
 * CA, and axios-retry retries Vault's transient answers (sealed, standby, 429, gateway
 * errors) a bounded number of times before the answer reaches node-vault and our mapping.
 */
import { loadAxios, loadAxiosRetry } from './sdk.js';
import { Agent } from 'node:https';

export interface TransportOptions {
  /** PEM contents of the CA that signed the Vault server certificate. */
  ca?: Buffer;
  /** Retries after the first attempt for transient answers. */
  retries: number;
  /** First retry delay in ms; it doubles on each retry (plus jitter). */
  retryBaseDelayMs: number;
}

/** The response shape node-vault's handleVaultResponse expects. */
interface RpResponse {
  statusCode: number;
  body: unknown;
  request: { path: string };
}

/** What node-vault passes to the transport: its own fields plus our per-call `signal`/`timeout`. */
interface RpOptions {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  json?: unknown;
  signal?: AbortSignal;
  timeout?: number;
}

/** Answers that mean "Vault did not process this": safe to retry whatever the method. */
const NOT_PROCESSED = new Set([429, 503]);
/** Gateway answers: the request may have reached Vault, so only safe methods retry. */
const GATEWAY = new Set([502, 504]);
const SAFE_METHODS = new Set(['get', 'head', 'options', 'list']);

export type RequestPromiseLike = { defaults: (defaults: unknown) => (options: RpOptions) => Promise<RpResponse> };

export async function createTransport(options: TransportOptions): Promise<RequestPromiseLike> {
  const [{ default: axios }, axiosRetryModule] = await Promise.all([loadAxios(), loadAxiosRetry()]);
  const axiosRetry = axiosRetryModule.default;
  const { isNetworkError, exponentialDelay } = axiosRetryModule;

  const instance = axios.create(options.ca ? { httpsAgent: new Agent({ ca: options.ca }) } : {});

  axiosRetry(instance, {
    retries: options.retries,
    retryDelay: (count, error) => exponentialDelay(count, error, options.retryBaseDelayMs),
    // Every answer passes through here; only transient ones go on to retryCondition.
    validateResponse: (response) => !NOT_PROCESSED.has(response.status) && !GATEWAY.has(response.status),
    retryCondition: (error) => {
      if (error.code === 'ERR_CANCELED') return false;
      const method = (error.config?.method ?? 'get').toLowerCase();
      const status = error.response?.status;
      if (status !== undefined) return NOT_PROCESSED.has(status) || (GATEWAY.has(status) && SAFE_METHODS.has(method));
      return isNetworkError(error) && SAFE_METHODS.has(method);
    },
  });

  const send = async (rp: RpOptions): Promise<RpResponse> => {
    const target = new URL(rp.uri);
    const path = target.pathname;
    try {
      const response = await instance.request({
        method: rp.method,
        url: rp.uri,
        headers: { ...rp.headers },
        ...(rp.json !== undefined ? { data: rp.json } : {}),
        ...(rp.signal ? { signal: rp.signal } : {}),
        ...(rp.timeout !== undefined ? { timeout: rp.timeout } : {}),
        // Standby nodes may redirect to the active node (Vault's own client follows with the
        // token), but never from https down to plain http, where the token would travel in clear.
        beforeRedirect: (redirect: Record<string, unknown>) => {
          if (target.protocol === 'https:' && redirect['protocol'] !== 'https:') throw new Error('refusing a redirect from https to http');
        },
      });
      return { statusCode: response.status, body: response.data, request: { path } };
    } catch (error) {
      // Retries exhausted on an answer: give node-vault the answer so it raises its ApiResponseError.
      if (axios.isAxiosError(error) && error.response) {
        return { statusCode: error.response.status, body: error.response.data, request: { path } };
      }
      throw error;
    }
  };
  return { defaults: () => send };
}
