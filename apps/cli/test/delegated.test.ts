/** `vaultlink run` / `vaultlink import` are handed to @vault/runner with this CLI's vault and streams. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';

describe('run and import through @vault/runner', () => {
  let sandbox: Sandbox;
  let server: Server;
  let port: number;
  const received: string[] = [];
  const token = uniqueValue('run-token');

  beforeAll(async () => {
    sandbox = await createSandbox();
    server = createServer((request, response) => {
      received.push(String(request.headers['x-token'] ?? ''));
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    await sandbox.run(['set', 'token', '--stdin', '--domain', 'http://127.0.0.1'], { input: token });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await sandbox.cleanup();
  });

  it('run --help and import --help show the runner\'s own options (exit 0)', async () => {
    const run = await sandbox.run(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--environment');
    const imp = await sandbox.run(['import', '--help']);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toContain('postman-environment');
  });

  it('run sends a collection with the vault secret resolved from this CLI\'s vault, and masks it in the output', async () => {
    const collection = join(sandbox.cwd, 'collection.json');
    await writeFile(
      collection,
      JSON.stringify({
        info: { name: 'cli-run', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [{ name: 'call', request: { method: 'GET', url: `http://127.0.0.1:${port}/x`, header: [{ key: 'X-Token', value: '{{vault:token}}' }] } }],
      }),
    );
    const result = await sandbox.run(['run', collection, '--color', 'off']);
    expect(result.code, result.stderr).toBe(0);
    expect(received).toEqual([token]);
    expect(result.stdout + result.stderr).not.toContain(token);
  });
});
