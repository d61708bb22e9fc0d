/**
 * A loopback proxy in front of OpenBao for tests: it can refuse `/v1/sys/*` (like a gateway
 * that only exposes secret paths, or an old Vault without sys/internal/ui/mounts), answer a
 * canned status, and counts what passes through.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';

export interface ProxyOptions {
  /** Answer 403 to every /v1/sys/ request instead of forwarding it. */
  blockSys?: boolean;
  /** Answer this status (with a Vault-style body) to every request, e.g. 503 "Vault is sealed". */
  fixedStatus?: { status: number; errors: string[] };
}

export interface TestProxy {
  addr: string;
  requests: string[];
  options: ProxyOptions;
  close(): Promise<void>;
}

export async function startProxy(target: string, options: ProxyOptions = {}): Promise<TestProxy> {
  const upstream = new URL(target);
  const requests: string[] = [];
  const state: ProxyOptions = { ...options };
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (state.fixedStatus) {
      res
        .writeHead(state.fixedStatus.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: state.fixedStatus.errors }));
      return;
    }
    if (state.blockSys && req.url?.startsWith('/v1/sys/')) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: ['blocked by the test proxy'] }));
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    addr: `http://127.0.0.1:${port}`,
    requests,
    options: state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
