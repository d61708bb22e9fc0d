/**
 * A small TCP proxy on loopback that delays every chunk by `delayMs` in each direction, so a
 * request/response round trip costs about 2 × delayMs more, as a distant vault would.
 * Chunks keep their order: each one is written `delayMs` after it arrived.
 */
import { createServer, connect } from 'node:net';

export async function startLatencyProxy(target, { delayMs }) {
  const upstream = new URL(target);
  const sockets = new Set();
  const server = createServer((client) => {
    const remote = connect({ host: upstream.hostname, port: Number(upstream.port) });
    for (const socket of [client, remote]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        remote.destroy();
      });
    }
    const relay = (from, to) => from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), delayMs));
    relay(client, remote);
    relay(remote, client);
    client.on('end', () => setTimeout(() => remote.end(), delayMs));
    remote.on('end', () => setTimeout(() => client.end(), delayMs));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${upstream.protocol}//127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}
