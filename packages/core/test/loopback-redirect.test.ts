import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loopbackRedirectProblem, startLoopbackReceiver, type LoopbackOptions } from '../src/provider.js';

/** A loopback port nothing listens on: bound once to let the OS pick it, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) return reject(new Error('no TCP address for the probe server'));
      server.close(() => resolve(address.port));
    });
  });
}

/** Whether something accepts TCP connections on host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const TIMEOUT_FIX = { action: 'connect', provider: 'acme', flags: { 'login-timeout': 'SECONDS' } } as const;
const options = (extra: Partial<LoopbackOptions> = {}): LoopbackOptions => ({
  provider: 'acme',
  timeoutMs: 10_000,
  signInTo: 'Acme Vault',
  timeoutFix: TIMEOUT_FIX,
  ...extra,
});

describe('startLoopbackReceiver', () => {
  it('takes one request on the redirect path, answers others 404, then stops listening', async () => {
    const port = await freePort();
    const receiver = await startLoopbackReceiver(new URL(`http://localhost:${port}/oidc/callback`), options());
    expect((await fetch(`http://127.0.0.1:${port}/favicon.ico`)).status).toBe(404);
    const page = await fetch(`http://127.0.0.1:${port}/oidc/callback?code=abc&state=xyz`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('vaultlink received your Acme Vault sign-in. You can close this tab');
    // The URL handed to the code exchange is the registered redirect URI plus the query.
    expect((await receiver.callback).href).toBe(`http://localhost:${port}/oidc/callback?code=abc&state=xyz`);
    await receiver.close();
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });

  it('shows a failure page when the identity provider sends an error', async () => {
    const port = await freePort();
    const receiver = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), options());
    const page = await fetch(`http://127.0.0.1:${port}/cb?error=access_denied`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Acme Vault did not sign you in.');
    expect((await receiver.callback).searchParams.get('error')).toBe('access_denied');
    await receiver.close();
  });

  it('listens on 127.0.0.1 only', async () => {
    const port = await freePort();
    const receiver = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), options());
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(await accepts('::1', port)).toBe(false);
    await receiver.close();
  });

  it("times out with TIMEOUT naming the redirect URI and the provider's fix, and stops listening", async () => {
    const port = await freePort();
    const receiver = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), options({ timeoutMs: 100 }));
    await expect(receiver.callback).rejects.toMatchObject({
      code: 'TIMEOUT',
      provider: 'acme',
      message: expect.stringContaining(`http://localhost:${port}/cb`),
      fix: TIMEOUT_FIX,
    });
    await receiver.close();
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });

  it('is cancelled by the signal, and stops listening', async () => {
    const port = await freePort();
    const controller = new AbortController();
    const receiver = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), options({ signal: controller.signal }));
    controller.abort();
    await expect(receiver.callback).rejects.toMatchObject({ code: 'ABORTED', provider: 'acme' });
    await receiver.close();
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });

  it('a busy port fails before the browser opens, naming the port and who may hold it', async () => {
    const port = await freePort();
    const first = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), options());
    await expect(
      startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), options({ busyPortHint: 'another acme login?' })),
    ).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining(`127.0.0.1:${port}`),
      fix: { action: 'manual', text: `stop the program using port ${port} (another acme login?) and connect again` },
    });
    await first.close();
  });
});

describe('a redirect URI the receiver cannot serve', () => {
  it('is INVALID_CONFIG naming the problem, before anything listens', async () => {
    await expect(startLoopbackReceiver(new URL('https://localhost:8250/cb'), options())).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      provider: 'acme',
      issues: [{ field: 'redirect-uri', problem: 'uses https:' }],
    });
  });
});

describe('loopbackRedirectProblem', () => {
  it('accepts http on localhost or 127.0.0.1 with an explicit port', () => {
    expect(loopbackRedirectProblem('http://localhost:8250/oidc/callback')).toBeUndefined();
    expect(loopbackRedirectProblem('http://127.0.0.1:9000/cb')).toBeUndefined();
  });
  it('names what is wrong with anything else', () => {
    expect(loopbackRedirectProblem('localhost:8250')).toMatch(/uses localhost:|is not a URL/);
    expect(loopbackRedirectProblem('not a url')).toBe('"not a url" is not a URL');
    expect(loopbackRedirectProblem('https://localhost:8250/cb')).toBe('uses https:');
    expect(loopbackRedirectProblem('http://10.0.0.1:8250/cb')).toBe('host 10.0.0.1 is not a loopback name vaultlink listens on');
    expect(loopbackRedirectProblem('http://localhost/cb')).toMatch(/^has no explicit port/);
    expect(loopbackRedirectProblem('http://localhost:8250/cb?x=1')).toBe('has a query or fragment');
  });
});
