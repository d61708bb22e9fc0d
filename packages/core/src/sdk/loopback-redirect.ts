/**
 * The loopback redirect receiver of a browser sign-in (OAuth 2.0 for native apps, RFC 8252 §7.3):
 * an HTTP server bound to 127.0.0.1 only, on the redirect URI's port (identity providers match
 * redirect URIs exactly), that takes ONE GET on the redirect path and then closes. Other paths
 * (favicon...) get a 404. node:http is imported on first use, so loading a provider stays light.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { VaultError } from '../errors.js';
import type { Fix } from '../fixes.js';
import { withDeadline } from './deadline.js';

export interface LoopbackReceiver {
  /** Resolves with the full callback URL (as registered, plus the query) once the browser comes back. */
  callback: Promise<URL>;
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** Provider id, on the errors. */
  provider: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** What the person signs in to, for the page the browser shows: `Vault`. */
  signInTo: string;
  /** The TIMEOUT error's fix, e.g. connect again with a longer timeout flag. */
  timeoutFix: Fix;
  /** Who else may hold the port, in the fix of a busy port: "another `vault login -method=oidc`?". */
  busyPortHint?: string;
}

export const LOOPBACK_REDIRECT_EXPECTED =
  'http://localhost:PORT/PATH or http://127.0.0.1:PORT/PATH, e.g. http://localhost:8250/oidc/callback';

/**
 * What is wrong with `value` as the redirect URI of a loopback receiver, or undefined when it
 * is fine: http, localhost or 127.0.0.1 (where the receiver listens), an explicit port, no query.
 */
export function loopbackRedirectProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return `"${value}" is not a URL`;
  const url = new URL(value);
  if (url.protocol !== 'http:') return `uses ${url.protocol}`;
  if (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1')
    return `host ${url.hostname} is not a loopback name vaultlink listens on`;
  if (!url.port) return 'has no explicit port (identity providers match redirect URIs exactly)';
  if (url.search || url.hash) return 'has a query or fragment';
  return undefined;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`;

/** Listens now (a busy port fails before the browser opens: AUTH_FAILED naming the port; a redirect URI it cannot serve: INVALID_CONFIG). */
export async function startLoopbackReceiver(redirectUri: URL, options: LoopbackOptions): Promise<LoopbackReceiver> {
  const { provider } = options;
  const problem = loopbackRedirectProblem(redirectUri.href);
  if (problem) {
    throw new VaultError('INVALID_CONFIG', `The sign-in redirect URI ${redirectUri.href} cannot be received on this computer.`, {
      provider,
      issues: [{ field: 'redirect-uri', problem, expected: LOOPBACK_REDIRECT_EXPECTED }],
    });
  }
  const { createServer } = await import('node:http');
  const port = Number(redirectUri.port);
  let received!: (url: URL) => void;
  const arrived = new Promise<URL>((resolve) => (received = resolve));
  let done = false;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `${redirectUri.protocol}//${redirectUri.host}`);
    if (done || req.method !== 'GET' || url.pathname !== redirectUri.pathname) {
      res.writeHead(404, { 'content-type': 'text/plain', connection: 'close' }).end('Not found');
      return;
    }
    done = true;
    const failed = url.searchParams.get('error');
    res.writeHead(failed ? 400 : 200, { 'content-type': 'text/html; charset=utf-8', connection: 'close', 'cache-control': 'no-store' });
    received(new URL(`${redirectUri.origin}${redirectUri.pathname}${url.search}`));
    // Close only once the page is flushed, so the browser does not see a reset.
    res.end(
      failed
        ? PAGE('Sign-in failed', `${options.signInTo} did not sign you in. Return to the terminal for details.`)
        : PAGE('Signed in', `vaultlink received your ${options.signInTo} sign-in. You can close this tab and return to the terminal.`),
      () => void close(),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new VaultError('AUTH_FAILED', `Cannot listen on 127.0.0.1:${port} for the sign-in redirect (${error.code ?? error.message}).`, {
          provider,
          details: { port },
          fix:
            error.code === 'EADDRINUSE'
              ? `stop the program using port ${port}${options.busyPortHint ? ` (${options.busyPortHint})` : ''} and connect again`
              : 'check that this computer allows listening on a loopback port',
        }),
      );
    });
    server.listen({ host: '127.0.0.1', port }, () => resolve());
  });

  // Closing early (the caller gave up, e.g. the browser did not open) also ends the wait.
  const closed = new AbortController();
  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    if (!done) closed.abort();
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  }

  const callback = withDeadline(arrived, {
    timeoutMs: options.timeoutMs,
    signal: options.signal ? AbortSignal.any([options.signal, closed.signal]) : closed.signal,
    onTimeout: () =>
      new VaultError('TIMEOUT', `No sign-in arrived at ${redirectUri.href} within ${Math.round(options.timeoutMs / 1000)} s.`, {
        provider,
        fix: options.timeoutFix,
      }),
    onAbort: () => new VaultError('ABORTED', 'Sign-in cancelled.', { provider }),
    onStop: close,
  });
  // The caller may stop listening before awaiting (an error while opening the browser).
  callback.catch(() => undefined);
  return { callback, close };
}
