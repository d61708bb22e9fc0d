/**
 * A fetch for the OIDC calls (openid-client's customFetch, setup's discovery check) that
 * honours the caller's AbortSignal and, when VAULT_CACERT is set, trusts that CA: Node's
 * global fetch cannot take a CA, so that case goes through axios with an https agent.
 */
import { loadAxios } from './sdk.js';
import { readFile } from 'node:fs/promises';

export type FetchLike = (
  url: string,
  init: { method?: string; headers?: unknown; body?: unknown; signal?: AbortSignal | null },
) => Promise<Response>;

export async function caAwareFetch(options: { caCert?: string; signal?: AbortSignal }): Promise<FetchLike> {
  const withSignal = (signal: AbortSignal | null | undefined): AbortSignal | undefined =>
    signal && options.signal ? AbortSignal.any([signal, options.signal]) : (signal ?? options.signal);
  if (!options.caCert) return (url, init) => fetch(url, { ...init, signal: withSignal(init.signal) ?? null } as RequestInit);

  const [{ default: axios }, { Agent }, ca] = await Promise.all([loadAxios(), import('node:https'), readFile(options.caCert)]);
  const instance = axios.create({
    httpsAgent: new Agent({ ca }),
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: 'arraybuffer',
  });
  return async (url, init) => {
    const signal = withSignal(init.signal);
    const response = await instance.request({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      data: init.body,
      ...(signal ? { signal } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
    const body = response.status === 204 || response.status === 304 ? null : Buffer.from(response.data as ArrayBuffer);
    return new Response(body, { status: response.status, headers });
  };
}
