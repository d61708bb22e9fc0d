/**
 * The loopback redirect receiver for the OIDC sign-in: an HTTP server bound to 127.0.0.1
 * only, on the redirect URI's port (Vault matches redirect URIs exactly), that takes ONE
 * request on the redirect path and then closes. Other paths (favicon...) get a 404.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { VaultError } from '@vault/core/provider';
import { PROVIDER_ID } from './options.js';

export interface LoopbackReceiver {
  /** Resolves with the full callback URL (as registered, plus the query) once the browser comes back. */
  callback: Promise<URL>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`;

export async function startLoopbackReceiver(redirectUri: URL, options: { timeoutMs: number; signal?: AbortSignal }): Promise<LoopbackReceiver> {
  const port = Number(redirectUri.port);
  let settle!: { resolve: (url: URL) => void; reject: (error: Error) => void };
  const callback = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may stop listening before awaiting (an error while opening the browser).
  callback.catch(() => undefined);
  let done = false;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `${redirectUri.protocol}//${redirectUri.host}`);
    if (done || req.method !== 'GET' || url.pathname !== redirectUri.pathname) {
      res.writeHead(404, { 'content-type': 'text/plain', connection: 'close' }).end('Not found');
      return;
    }
    done = true;
    const failed = url.searchParams.get('error');
    res.writeHead(failed ? 400 : 200, { 'content-type': 'text/html; charset=utf-8', connection: 'close', 'cache-control': 'no-store' });
    settle.resolve(new URL(`${redirectUri.origin}${redirectUri.pathname}${url.search}`));
    // Close only once the page is flushed, so the browser does not see a reset.
    res.end(
      failed
        ? PAGE('Sign-in failed', 'Vault did not sign you in. Return to the terminal for details.')
        : PAGE('Signed in', 'vaultlink received your Vault sign-in. You can close this tab and return to the terminal.'),
      () => void stop(),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new VaultError('AUTH_FAILED', `Cannot listen on 127.0.0.1:${port} for the sign-in redirect (${error.code ?? error.message}).`, {
          provider: PROVIDER_ID,
          details: { port },
          fix:
            error.code === 'EADDRINUSE'
              ? `stop the program using port ${port} (another \`vault login -method=oidc\`?) and connect again`
              : 'check that this computer allows listening on a loopback port',
        }),
      );
    });
    server.listen({ host: '127.0.0.1', port }, () => resolve());
  });

  const timer = setTimeout(() => {
    settle.reject(
      new VaultError('TIMEOUT', `No sign-in arrived at ${redirectUri.href} within ${Math.round(options.timeoutMs / 1000)} s.`, {
        provider: PROVIDER_ID,
        fix: { action: 'connect', provider: PROVIDER_ID, flags: { 'login-timeout': 'SECONDS' }, hint: 'open the printed URL in a browser on this computer; a longer --login-timeout gives you more time' },
      }),
    );
    void stop();
  }, options.timeoutMs);
  timer.unref();

  const onAbort = () => {
    settle.reject(new VaultError('ABORTED', 'Sign-in cancelled.', { provider: PROVIDER_ID }));
    void stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  let closing: Promise<void> | undefined;
  function stop(): Promise<void> {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  }

  return { callback, close: stop };
}
