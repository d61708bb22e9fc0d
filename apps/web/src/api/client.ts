/**
 * Calls to the agent's UI API. The session cookie goes along by itself (HttpOnly: the page
 * cannot read it); state-changing calls add the session's CSRF token, read once and kept in
 * memory only. Nothing is written to localStorage, sessionStorage or cookies by the page.
 */
import type { ErrorJson } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: ErrorJson,
  ) {
    super(error.message);
    this.name = 'ApiError';
  }
}

type Listener = (error: ApiError) => void;
const listeners = new Set<Listener>();

/** Told about every failed call: the app switches to the locked or signed-out screen. */
export function onApiError(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let csrfToken: Promise<string> | undefined;

async function csrf(): Promise<string> {
  csrfToken ??= request<{ csrfToken: string }>('GET', '/session').then((s) => s.csrfToken);
  return csrfToken.catch((error: unknown) => {
    csrfToken = undefined;
    throw error;
  });
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = await csrf();
  }
  const response = await fetch(`/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
  });
  const json = (await response.json().catch(() => ({}))) as { error?: ErrorJson };
  if (!response.ok) {
    const error = new ApiError(response.status, json.error ?? { code: 'INTERNAL', message: `The agent answered HTTP ${response.status}.` });
    for (const listener of listeners) listener(error);
    throw error;
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

export const secretPath = (name: string): string => `/secrets/${encodeURIComponent(name)}`;

/** The error of a failed call, as JSON, whatever was thrown. */
export function errorOf(error: unknown): ErrorJson {
  if (error instanceof ApiError) return error.error;
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
