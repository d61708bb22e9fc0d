import { createServer } from 'node:net';

/** A loopback port nothing listens on: bound once to let the OS pick it, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) return reject(new Error('no TCP address for the probe server'));
      server.close(() => resolve(address.port));
    });
  });
}
