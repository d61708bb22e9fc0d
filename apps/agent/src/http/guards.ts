/**
 * The UI's page security, in the order each request meets it:
 * 1. security headers on every answer (CSP `default-src 'self'` with no inline script,
 *    `frame-ancestors 'none'`, nosniff, `Referrer-Policy: no-referrer`, no caching);
 * 2. the Host header must be `127.0.0.1:<port>` or `localhost:<port>`: a DNS-rebinding page
 *    whose name now points at 127.0.0.1 still sends its own name, and is refused;
 * 3. `GET /?token=` exchanges a one-time token for the session cookie;
 * 4. everything else needs the session cookie (401 without);
 * 5. state-changing requests need an Origin equal to this server's own origin and the
 *    session's CSRF token in `X-CSRF-Token`, so a form posted from another local origin
 *    (which SameSite cannot stop: ports do not make another site) is refused.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import type { UiAuth, UiSession } from './auth.js';

export type UiEnv = { Variables: { session: UiSession } };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The session cookie's name carries the port: two UIs of two vaults never overwrite each other's cookie. */
export function cookieName(port: number): string {
  return `vaultlink_ui_${port}`;
}

export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    // Plain http on loopback: HSTS would only confuse other local servers on this host.
    strictTransportSecurity: false,
  });
  return async (c, next) => {
    await headers(c, next);
    c.res.headers.set('Cache-Control', 'no-store');
  };
}

/** Only `127.0.0.1:<port>` and `localhost:<port>` (DNS rebinding sends another name). */
export function hostGuard(port: () => number): MiddlewareHandler {
  return async (c, next) => {
    if (!allowedHosts(port()).includes(c.req.header('host') ?? ''))
      return refuse(c, 403, 'HOST_REFUSED', 'This server only answers to 127.0.0.1 and localhost on its own port.');
    await next();
  };
}

/** `GET /?token=…`: a valid unused token becomes the session cookie, and the address bar loses the token. */
export function tokenExchange(auth: UiAuth, port: () => number): MiddlewareHandler {
  return async (c, next) => {
    const token = c.req.query('token');
    if (c.req.method !== 'GET' || c.req.path !== '/' || token === undefined) return next();
    const sessionId = auth.exchange(token);
    if (!sessionId)
      return refuse(
        c,
        401,
        'TOKEN_INVALID',
        'This link is not valid (it was used already, it expired, or it is wrong). Run `vaultlink ui` again for a new one.',
      );
    setCookie(c, cookieName(port()), sessionId, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect('/', 303);
  };
}

export function sessionGuard(auth: UiAuth, port: () => number): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    const session = auth.session(getCookie(c, cookieName(port())));
    if (!session) return refuse(c, 401, 'SESSION_REQUIRED', 'Open the vault UI through the link `vaultlink ui` prints or opens.');
    c.set('session', session);
    await next();
  };
}

export function csrfGuard(port: () => number): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    if (!origin || origin !== `http://${c.req.header('host')}` || !allowedHosts(port()).some((h) => origin === `http://${h}`)) {
      return refuse(c, 403, 'ORIGIN_REFUSED', 'State-changing requests must come from the vault UI page itself.');
    }
    if (fetchSite !== undefined && fetchSite !== 'same-origin')
      return refuse(c, 403, 'ORIGIN_REFUSED', 'State-changing requests must come from the vault UI page itself.');
    if (c.req.header('x-csrf-token') !== c.get('session').csrfToken)
      return refuse(c, 403, 'CSRF_REFUSED', "The request lacks this page session's CSRF token; reload the page.");
    await next();
  };
}

function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** JSON for the API, plain text for a person's browser; never a page that runs script. */
function refuse(c: Context, status: 401 | 403, code: string, message: string): Response {
  if (c.req.path.startsWith('/api/')) return c.json({ error: { code, message } }, status);
  return c.text(`${message}\n`, status);
}
