/**
 * Issue 11 item 4: the cache expiry applies inside a run, proved by counting reads of the secret
 * in OpenBao's audit log. Two links point at two keys of ONE secret, so a request that uses both
 * must read it once (no duplicate reads within a request):
 * - expiry 0: one read per request that uses the references (the up-front resolve counts for the
 *   first), none for a request that does not, and a value changed mid-run is sent (and masked);
 * - an entry younger than the expiry is not read again;
 * - an entry older than the expiry is read again (the vault's clock is moved on by the server).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashicorpProvider } from '@vault/provider-hashicorp';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { run, type RunSummary } from '../../src/index.js';
import { captureMessages, collection } from '../helpers/collections.js';
import { createTestVault, quietIo, type TestVault } from '../helpers/test-vault.js';

const peer = requirePeer('openbao');
if (!peer) throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the OpenBao peer');
if (!peer.auditLog) throw new Error('the OpenBao peer has no audit log (PEER_OPENBAO_AUDIT_LOG): reads cannot be counted');
const bao = openBaoSeeder(peer);
const suffix = Date.now().toString(36);
const PATH = `runner-expiry-${suffix}/app`;
const FIRST = `expiry-first-${suffix}`;
const ROTATED = `expiry-rotated-${suffix}`;
const OTHER = `expiry-other-${suffix}`;

describe('cache expiry inside a run (OpenBao audit log)', () => {
  let testVault: TestVault;
  let server: Server;
  let origin: string;
  let clockOffset = 0;
  /** The vault's clock, given to the run too (core's expiry times are in it). */
  const clock = () => Date.now() + clockOffset;
  /** What the server does on each request: advance the vault's clock, rotate the secret. */
  let onRequest: (count: number) => Promise<void> = async () => undefined;
  const received: Array<{ url: string; token: string; other: string }> = [];
  const reads = () => countAuditRequests(peer.auditLog!, { path: `secret/data/${PATH}`, operation: 'read' });

  beforeAll(async () => {
    await bao.kvPut('secret', PATH, { token: FIRST, other: OTHER });
    server = createServer((request, response) => {
      received.push({
        url: request.url ?? '',
        token: String(request.headers['x-token'] ?? ''),
        other: String(request.headers['x-other'] ?? ''),
      });
      onRequest(received.length).then(
        () => response.end('{}'),
        (error: unknown) => {
          response.statusCode = 500;
          response.end(String(error));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A personal token connection: HashiCorp needs no team file for it (connectWithoutTeam).
    testVault = await createTestVault({}, [createHashicorpProvider()], { now: clock });
    await testVault.vault.connect('hashicorp', { method: 'token', token: peer.rootToken, vaultAddr: peer.addr }, quietIo);
    await testVault.vault.link('tok', 'hashicorp', { engine: 'secret', path: PATH, key: 'token' });
    await testVault.vault.link('oth', 'hashicorp', { engine: 'secret', path: PATH, key: 'other' });
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await testVault?.cleanup();
  });

  const runIterations = (iterationCount: number): Promise<RunSummary> =>
    run({
      collection: collection([
        {
          name: 'uses both',
          request: {
            url: `${origin}/uses`,
            header: [
              { key: 'X-Token', value: '{{vault:tok}}' },
              { key: 'X-Other', value: '{{vault:oth}}' },
            ],
          },
        },
        { name: 'uses none', request: `${origin}/none` },
      ]),
      iterationCount,
      now: clock,
      vault: testVault.vault,
      env: testVault.env,
      failOnUnresolved: true,
      messages: captureMessages().messages,
    });

  it('expiry 0: one read per request that uses them, a changed value is sent from then on, and masked', async () => {
    await testVault.vault.setCacheExpiryMinutes(0);
    received.length = 0;
    onRequest = async (count) => {
      if (count === 1) await bao.kvPut('secret', PATH, { token: ROTATED, other: OTHER });
    };
    const before = reads();
    const summary = await runIterations(5);
    expect(summary.vaultlink.exitCode).toBe(0);
    expect(reads() - before).toBe(5);
    const uses = received.filter((entry) => entry.url === '/uses');
    expect(uses.map((entry) => entry.token)).toEqual([FIRST, ROTATED, ROTATED, ROTATED, ROTATED]);
    expect(uses.every((entry) => entry.other === OTHER)).toBe(true);
    expect(JSON.stringify(summary)).not.toContain(ROTATED);
  });

  it('an entry younger than the expiry is not read again during the run', async () => {
    await testVault.vault.setCacheExpiryMinutes(5);
    testVault.vault.resetCache();
    onRequest = async () => undefined;
    const before = reads();
    await runIterations(4);
    expect(reads() - before).toBe(1);
  });

  it('an entry older than the expiry is read again', async () => {
    await testVault.vault.setCacheExpiryMinutes(1);
    testVault.vault.resetCache();
    received.length = 0;
    // Each request the server answers moves the vault's clock past the expiry.
    onRequest = async () => {
      clockOffset += 61_000;
    };
    const before = reads();
    await runIterations(3);
    expect(reads() - before).toBe(3);
    expect(received.filter((entry) => entry.url === '/uses').map((entry) => entry.token)).toEqual([ROTATED, ROTATED, ROTATED]);
  });
});
