/**
 * Raw HTTP against the agent's web UI, with every header under the test's control (Host,
 * Origin, Cookie, X-CSRF-Token, Content-Type), as an attacker's page or process would send them.
 */
import { request } from 'node:http';
import type { AgentConnection, UiLink } from '../../dist/client.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  host?: string;
  cookie?: string;
  origin?: string;
  csrf?: string;
  contentType?: string;
  body?: string;
}

export function raw(port: number, options: RawRequest): Promise<RawResponse> {
  const headers: Record<string, string> = { Host: options.host ?? `127.0.0.1:${port}` };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.origin) headers.Origin = options.origin;
  if (options.csrf) headers['X-CSRF-Token'] = options.csrf;
  if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Asks the agent for a one-time UI link, as `vaultlink ui` does. */
export async function uiLink(
  connection: AgentConnection,
  env: Record<string, string> = {},
  cwd = process.cwd(),
): Promise<UiLink & { token: string }> {
  const link = await connection.request<UiLink>('ui', [{ env }], { ctx: { cwd, resolveFrom: [cwd] } });
  return { ...link, token: new URL(link.url).searchParams.get('token')! };
}

/** Spends a token: the `name=value` of the session cookie it gives. */
export async function signIn(port: number, token: string): Promise<string> {
  const response = await raw(port, { path: `/?token=${encodeURIComponent(token)}` });
  if (response.status !== 303) throw new Error(`token exchange answered ${response.status}: ${response.body}`);
  return String((response.headers['set-cookie'] as string[])[0]).split(';')[0]!;
}

/** A signed-in session with its CSRF token, ready for state-changing requests. */
export async function session(port: number, token: string): Promise<{ cookie: string; csrf: string; origin: string }> {
  const cookie = await signIn(port, token);
  const answer = await raw(port, { path: '/api/session', cookie });
  return { cookie, csrf: (JSON.parse(answer.body) as { csrfToken: string }).csrfToken, origin: `http://127.0.0.1:${port}` };
}
