/**
 * The web UI's page security, each rule checked with raw HTTP requests: the one-time token
 * and the session cookie, 401 without it, the Host check against DNS rebinding, Origin and
 * CSRF token on state-changing requests (a form posted from another local origin is refused),
 * the security headers, a page with no inline script and no remote asset, loopback only.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConnection } from '../dist/client.js';
import { createTestAgent, unique, type TestAgent } from './helpers/agent.js';
import { raw, session, signIn, uiLink } from './helpers/ui-http.js';

const value = unique('ui-local-value');
let agent: TestAgent;
let connection: AgentConnection;
let port: number;

beforeAll(async () => {
  agent = await createTestAgent({ secrets: { k1: value } });
  connection = await agent.unlocked();
  port = (await uiLink(connection)).port;
});

afterAll(async () => {
  connection?.close();
  await agent?.cleanup();
});

const stateOf = async (s: { cookie: string }): Promise<{ locked: boolean }> =>
  JSON.parse((await raw(port, { path: '/api/state', cookie: s.cookie })).body) as { locked: boolean };

describe('the one-time token and the session cookie', () => {
  it('a token is exchanged once for an HttpOnly, SameSite=Strict cookie, and is void after use', async () => {
    const { token } = await uiLink(connection);
    const first = await raw(port, { path: `/?token=${token}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String((first.headers['set-cookie'] as string[])[0]);
    expect(cookie).toMatch(new RegExp(`^vaultlink_ui_${port}=[A-Za-z0-9_-]{40,};`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    const again = await raw(port, { path: `/?token=${token}` });
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    // The cookie it gave works.
    expect((await raw(port, { path: '/api/state', cookie: cookie.split(';')[0] })).status).toBe(200);
  });

  it('a wrong token gets 401 and no cookie', async () => {
    const response = await raw(port, { path: `/?token=${unique('guess')}` });
    expect(response.status).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toContain('vaultlink ui');
  });

  it('without the cookie (or with a made-up one) the page, its assets and the API answer 401', async () => {
    const html = (await raw(port, { path: '/', cookie: await signIn(port, (await uiLink(connection)).token) })).body;
    const script = /<script[^>]*src="([^"]+)"/.exec(html)![1]!;
    for (const path of ['/', '/index.html', script, '/api/state', '/api/secrets', '/api/session', '/api/providers']) {
      for (const cookie of [undefined, `vaultlink_ui_${port}=${unique('forged')}`]) {
        const response = await raw(port, { path, ...(cookie ? { cookie } : {}) });
        expect(response.status, `${path} with ${cookie ? 'a forged' : 'no'} cookie`).toBe(401);
        expect(response.body).not.toContain(value);
      }
    }
    const post = await raw(port, { method: 'POST', path: '/api/lock', origin: `http://127.0.0.1:${port}`, body: '{}' });
    expect(post.status).toBe(401);
  });
});

describe('the Host header (DNS rebinding)', () => {
  it('only 127.0.0.1:<port> and localhost:<port> are answered; a refused exchange does not spend the token', async () => {
    const { token } = await uiLink(connection);
    for (const host of [
      'attacker.example',
      `attacker.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `localhost`,
      `0.0.0.0:${port}`,
      `[::1]:${port}`,
    ]) {
      const response = await raw(port, { path: `/?token=${token}`, host });
      expect(response.status, host).toBe(403);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    const cookie = await signIn(port, token);
    for (const host of [`attacker.example:${port}`, `evil.localhost:${port}`]) {
      expect((await raw(port, { path: '/api/secrets', cookie, host })).status, host).toBe(403);
    }
    expect((await raw(port, { path: '/api/secrets', cookie, host: `localhost:${port}` })).status).toBe(200);
    expect((await raw(port, { path: '/api/secrets', cookie, host: `127.0.0.1:${port}` })).status).toBe(200);
  });
});

describe('Origin and CSRF token on state-changing requests', () => {
  it('needs the page origin and the session CSRF token: a form posted from another local origin is refused', async () => {
    const s = await session(port, (await uiLink(connection)).token);
    const attempts = [
      { what: 'no Origin', origin: undefined, csrf: s.csrf },
      { what: 'another local origin', origin: `http://127.0.0.1:${port + 1}`, csrf: s.csrf },
      { what: 'localhost on another port', origin: `http://localhost:${port + 1}`, csrf: s.csrf },
      { what: 'the rebinding name', origin: `http://attacker.example:${port}`, csrf: s.csrf },
      { what: 'no CSRF token', origin: s.origin, csrf: undefined },
      { what: 'a wrong CSRF token', origin: s.origin, csrf: unique('csrf') },
    ];
    for (const attempt of attempts) {
      const response = await raw(port, {
        method: 'POST',
        path: '/api/lock',
        cookie: s.cookie,
        body: '{}',
        ...(attempt.origin ? { origin: attempt.origin } : {}),
        ...(attempt.csrf ? { csrf: attempt.csrf } : {}),
      });
      expect(response.status, attempt.what).toBe(403);
      expect((await stateOf(s)).locked, attempt.what).toBe(false);
    }
    // What an HTML form on http://127.0.0.1:<other> sends: the cookie (same site), its own Origin, a form body.
    const form = await raw(port, {
      method: 'POST',
      path: '/api/secrets',
      cookie: s.cookie,
      origin: `http://127.0.0.1:${port + 1}`,
      contentType: 'application/x-www-form-urlencoded',
      body: 'name=planted&value=attacker',
    });
    expect(form.status).toBe(403);
    const list = JSON.parse((await raw(port, { path: '/api/secrets', cookie: s.cookie })).body) as { secrets: Array<{ name: string }> };
    expect(list.secrets.map((x) => x.name)).not.toContain('planted');
    // Another session's CSRF token does not fit this session.
    const other = await session(port, (await uiLink(connection)).token);
    expect(
      (await raw(port, { method: 'POST', path: '/api/lock', cookie: s.cookie, origin: s.origin, csrf: other.csrf, body: '{}' })).status,
    ).toBe(403);
  });

  it('with the page origin and the token the request goes through (lock, then unlock with the passphrase)', async () => {
    const s = await session(port, (await uiLink(connection)).token);
    expect(
      (await raw(port, { method: 'POST', path: '/api/lock', cookie: s.cookie, origin: s.origin, csrf: s.csrf, body: '{}' })).status,
    ).toBe(200);
    expect((await stateOf(s)).locked).toBe(true);
    const wrong = await raw(port, {
      method: 'POST',
      path: '/api/unlock',
      cookie: s.cookie,
      origin: s.origin,
      csrf: s.csrf,
      body: JSON.stringify({ passphrase: 'not-it' }),
    });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.body).error.code).toBe('BAD_PASSPHRASE');
    const unlock = await raw(port, {
      method: 'POST',
      path: '/api/unlock',
      cookie: s.cookie,
      origin: s.origin,
      csrf: s.csrf,
      body: JSON.stringify({ passphrase: agent.passphrase }),
    });
    expect(unlock.status).toBe(200);
    expect((await stateOf(s)).locked).toBe(false);
  });

  it('JSON only: a request without a JSON content type is refused even from the page', async () => {
    const s = await session(port, (await uiLink(connection)).token);
    const response = await raw(port, {
      method: 'PUT',
      path: '/api/settings/expiry',
      cookie: s.cookie,
      origin: s.origin,
      csrf: s.csrf,
      contentType: 'text/plain',
      body: '{"minutes":5}',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.issues[0].field).toBe('Content-Type');
  });
});

describe('headers, page and listener', () => {
  it('every answer carries the CSP (default-src self, no inline script, frame-ancestors none), nosniff and no-referrer', async () => {
    const cookie = await signIn(port, (await uiLink(connection)).token);
    const answers = [
      await raw(port, { path: '/', cookie }),
      await raw(port, { path: '/api/state', cookie }),
      await raw(port, { path: '/' }),
      await raw(port, { path: '/', host: 'evil.example' }),
    ];
    for (const response of answers) {
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('the page has no inline script or handler and loads nothing from another origin; no value is in it', async () => {
    const cookie = await signIn(port, (await uiLink(connection)).token);
    const html = (await raw(port, { path: '/', cookie })).body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(1);
    for (const ref of refs) expect(ref, ref).toMatch(/^(\/assets\/|data:)/);
    for (const ref of refs.filter((r) => r.startsWith('/assets/'))) {
      const asset = await raw(port, { path: ref, cookie });
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toMatch(/^(text\/javascript|text\/css)/);
      expect(asset.body).not.toContain(value);
      // No remote loads: no import from, or stylesheet url() to, another origin.
      expect(asset.body).not.toMatch(/(?:import\s*\(?\s*["']|url\(\s*["']?)(?:https?:)?\/\//);
    }
    expect(html).not.toContain(value);
  });

  it('listens on 127.0.0.1 only, and stops with the agent', async () => {
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[3] === '0A' && parseInt(f[1]!.split(':')[1]!, 16) === port);
    expect(listening.map((f) => f[1]!.split(':')[0])).toEqual(['0100007F']);
    expect(readFileSync('/proc/net/tcp6', 'utf8')).not.toMatch(
      new RegExp(`:${port.toString(16).toUpperCase().padStart(4, '0')} [0-9A-F]{32}:0000 0A`),
    );
    const again = await uiLink(connection);
    expect(again.port).toBe(port);
    connection.close();
    await agent.cleanup();
    await expect(raw(port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
