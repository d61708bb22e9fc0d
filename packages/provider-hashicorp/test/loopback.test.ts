import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLoopbackReceiver } from '../src/loopback.js';
import { freePort } from './support/port.js';

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

describe('loopback redirect receiver', () => {
  it('takes one request on the redirect path, answers others 404, then stops listening', async () => {
    const port = await freePort();
    const redirect = new URL(`http://localhost:${port}/oidc/callback`);
    const receiver = await startLoopbackReceiver(redirect, { timeoutMs: 10_000 });
    expect((await fetch(`http://127.0.0.1:${port}/favicon.ico`)).status).toBe(404);
    const page = await fetch(`http://127.0.0.1:${port}/oidc/callback?code=abc&state=xyz`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('You can close this tab');
    // The URL handed to the code exchange is the registered redirect URI plus the query.
    expect((await receiver.callback).href).toBe(`http://localhost:${port}/oidc/callback?code=abc&state=xyz`);
    await receiver.close();
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });

  it('listens on 127.0.0.1 only', async () => {
    const port = await freePort();
    const receiver = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), { timeoutMs: 10_000 });
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(await accepts('::1', port)).toBe(false);
    await receiver.close();
  });

  it('times out with TIMEOUT naming the redirect URI and the fix', async () => {
    const port = await freePort();
    const receiver = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), { timeoutMs: 100 });
    await expect(receiver.callback).rejects.toMatchObject({ code: 'TIMEOUT', fix: { action: 'connect', provider: 'hashicorp' } });
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });

  it('is cancelled by the signal', async () => {
    const port = await freePort();
    const controller = new AbortController();
    const receiver = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), { timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    await expect(receiver.callback).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('a busy port fails before the browser opens, naming the port', async () => {
    const port = await freePort();
    const first = await startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), { timeoutMs: 10_000 });
    await expect(startLoopbackReceiver(new URL(`http://localhost:${port}/cb`), { timeoutMs: 10_000 })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
    await first.close();
  });
});
