/**
 * VAULT_CACERT / --ca-cert: a Vault behind a private CA is trusted with the CA file, and
 * refused without it with a fix that names VAULT_CACERT. The CA is made with openssl.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashicorpProvider } from '../src/index.js';
import { recordingIO } from './support/io.js';

const run = promisify(execFile);
let server: Server;
let addr: string;
let caFile: string;
let dir: string | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vl-ca-'));
  caFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    caFile,
  ]);
  server = createServer({ key: await readFile(keyFile), cert: await readFile(caFile) }, (req, res) => {
    if (req.url === '/v1/auth/token/lookup-self') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ data: { accessor: 'a', display_name: 'token-tls', ttl: 600, renewable: true, policies: ['default'] } }));
    } else res.writeHead(404).end('{"errors":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  addr = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 30_000);

afterAll(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('private CA', () => {
  it('trusts the Vault certificate with --ca-cert (VAULT_CACERT)', async () => {
    const session = await createHashicorpProvider().authenticate(
      { method: 'token', token: 't', vaultAddr: addr, caCert: caFile },
      recordingIO(),
      {},
    );
    expect(session.principal).toContain('token-tls');
    expect((session.data as { caCert?: string }).caCert).toBe(caFile);
  });

  it('without it: PROVIDER_UNAVAILABLE naming VAULT_CACERT as the fix', async () => {
    const error = await createHashicorpProvider({ retries: 0 })
      .authenticate({ method: 'token', token: 't', vaultAddr: addr }, recordingIO(), {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', fix: { action: 'manual', text: expect.stringContaining('VAULT_CACERT') } });
  });

  it('an unreadable CA file is INVALID_CONFIG naming ca-cert', async () => {
    const error = await createHashicorpProvider()
      .authenticate({ method: 'token', token: 't', vaultAddr: addr, caCert: '/nonexistent/ca.pem' }, recordingIO(), {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', issues: [expect.objectContaining({ field: 'ca-cert' })] });
  });
});
