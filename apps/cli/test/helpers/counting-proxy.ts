/**
 * A loopback HTTP proxy in front of a peer that records each request's AWS action
 * (`X-Amz-Target`, e.g. `secretsmanager.GetSecretValue`), so a test can count the reads a
 * separate CLI process made. Requests pass through unchanged (Host included, so SigV4 holds).
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  url: string;
  targets: string[];
  count(target: string): number;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const targets: string[] = [];
  const server = createServer((req, res) => {
    const amzTarget = req.headers['x-amz-target'];
    if (typeof amzTarget === 'string') targets.push(amzTarget);
    const forward = httpRequest(
      { host: target.hostname, port: Number(target.port), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    count: (name) => targets.filter((t) => t.endsWith(`.${name}`)).length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
