// Smoke test: the official client path (node-vault) reads what the seed helpers wrote to OpenBao.
import fs from 'node:fs';
import vaultClient from 'node-vault';
import { beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../seed/openbao.mjs';

const peer = requirePeer('openbao');
const run = `t${Date.now().toString(36)}`;

describe.skipIf(!peer)('OpenBao peer', () => {
  // vitest runs a skipped describe's body too: build nothing from `peer` until a test runs.
  let bao: ReturnType<typeof openBaoSeeder>;
  beforeAll(() => {
    bao = openBaoSeeder(peer!);
  });
  const client = () => vaultClient({ apiVersion: 'v1', endpoint: peer!.addr, token: peer!.rootToken });

  it('node-vault reads the latest and a pinned version of a KV v2 secret', async () => {
    const versions = await bao.kvPutVersions('secret', `${run}/db`, [{ password: 'first' }, { password: 'second' }]);
    expect(versions).toEqual([1, 2]);

    const latest = await client().read(`secret/data/${run}/db`);
    expect(latest.data.data).toEqual({ password: 'second' });
    expect(latest.data.metadata.version).toBe(2);

    const pinned = await client().read(`secret/data/${run}/db?version=1`);
    expect(pinned.data.data).toEqual({ password: 'first' });
  });

  it('has a KV v1 engine at kv1/ (no versions, no data/ wrapper)', async () => {
    expect(await bao.kvPut('kv1', `${run}/plain`, { token: 'v1-value' }, { kvVersion: 1 })).toBeUndefined();
    const res = await client().read(`kv1/${run}/plain`);
    expect(res.data).toEqual({ token: 'v1-value' });
  });

  it('node-vault reports a missing secret as a 404, not as data', async () => {
    await expect(client().read(`secret/data/${run}/missing`)).rejects.toMatchObject({ response: { statusCode: 404 } });
  });

  it('userpass login yields a token with an identity entity, limited by its policy', async () => {
    await bao.kvPut('secret', `${run}/allowed`, { k: 'ok' });
    await bao.kvPut('secret', `${run}/denied`, { k: 'no' });
    await bao.writePolicy(`${run}-reader`, `path "secret/data/${run}/allowed" { capabilities = ["read"] }`);
    await bao.enableUserpass();
    await bao.createUser(`${run}-alice`, 'alice-password', { policies: [`${run}-reader`] });
    const login = await bao.login(`${run}-alice`, 'alice-password');
    expect(login.entityId).toMatch(/^[0-9a-f-]{36}$/);
    expect(login.policies).toContain(`${run}-reader`);

    const alice = vaultClient({ apiVersion: 'v1', endpoint: peer!.addr, token: login.token });
    expect((await alice.read(`secret/data/${run}/allowed`)).data.data).toEqual({ k: 'ok' });
    await expect(alice.read(`secret/data/${run}/denied`)).rejects.toMatchObject({ response: { statusCode: 403 } });
  });

  it('creates short-lived tokens with policies', async () => {
    const { token, leaseDuration } = await bao.createToken({ policies: ['default'], ttl: '90s' });
    expect(leaseDuration).toBeGreaterThan(0);
    expect(leaseDuration).toBeLessThanOrEqual(90);
    const self = await vaultClient({ apiVersion: 'v1', endpoint: peer!.addr, token }).tokenLookupSelf();
    expect(self.data.policies).toEqual(['default']);
  });

  it('mounts a non-KV engine (transit)', async () => {
    await bao.mount(`${run}-transit`, 'transit');
    const mounts = await bao.request('GET', 'sys/mounts');
    expect(mounts.data[`${run}-transit/`].type).toBe('transit');
  });

  it('counts upstream reads in the audit log, which holds no plain secret values', async () => {
    const file = peer!.auditLog;
    expect(file, 'PEER_OPENBAO_AUDIT_LOG').toBeTruthy();
    await bao.kvPut('secret', `${run}/counted`, { password: 'audit-plain-value' });
    const c = client();
    await c.read(`secret/data/${run}/counted`);
    await c.read(`secret/data/${run}/counted`);
    expect(countAuditRequests(file!, { path: `secret/data/${run}/counted`, operation: 'read' })).toBe(2);
    expect(countAuditRequests(file!, { path: `secret/data/${run}/counted`, operation: 'create' })).toBe(1);
    expect(fs.readFileSync(file!, 'utf8')).not.toContain('audit-plain-value');
  });

  describe('namespaces (OpenBao >= 2.3, dev mode)', () => {
    it('isolates a KV v2 secret inside a namespace', async () => {
      const ns = await bao.createNamespace(`${run}-team`);
      await ns.mount('secret', 'kv', { version: '2' });
      await ns.kvPut('secret', 'app', { k: 'in-namespace' });

      const inNs = vaultClient({ apiVersion: 'v1', endpoint: peer!.addr, token: peer!.rootToken, namespace: `${run}-team` });
      expect((await inNs.read('secret/data/app')).data.data).toEqual({ k: 'in-namespace' });
      // The same path in the root namespace does not see it.
      await expect(client().read('secret/data/app')).rejects.toMatchObject({ response: { statusCode: 404 } });
    });
  });
});
