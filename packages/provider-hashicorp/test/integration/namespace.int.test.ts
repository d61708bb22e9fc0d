/**
 * Namespaces (OpenBao >= 2.3, available in dev mode): the whole guide's setup inside a child
 * namespace via `--bootstrap --namespace`, a member's OIDC sign-in there, and KV reads that
 * carry X-Vault-Namespace on every call (checked in the audit log).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpenBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { createHashicorpProvider, type HashicorpSession } from '../../src/index.js';
import { auditCounter, freePort, openBaoPeer, playBrowser, seeder, tokenSession, uniq } from '../support/bao.js';
import { recordingIO, setupRecorded } from '../support/io.js';
import { readLinks } from '@vault/core/provider';

const peer = openBaoPeer();
const root = seeder(peer);
const namespace = uniq('team');
const tag = uniq('vlns');
let ns: OpenBaoSeeder;
let memberToken: string;

beforeAll(async () => {
  ns = await root.createNamespace(namespace);
  await ns.mount('kv', 'kv', { version: '2' });
  await ns.kvPut('kv', 'app', { token: 'ns-secret-value' });
  await ns.enableUserpass();
  await ns.createUser('bob', 'pw-not-secret-in-test');
  memberToken = (await ns.login('bob', 'pw-not-secret-in-test')).token;
});

describe('a namespace', () => {
  it("bootstraps the guide's setup inside the namespace; a member signs in and reads there", async () => {
    const redirectUri = `http://localhost:${await freePort()}/oidc/callback`;
    const team = await setupRecorded(
      createHashicorpProvider(),
      {
        bootstrap: true,
        vaultAddr: peer.addr,
        namespace,
        adminToken: peer.rootToken,
        redirectUri,
        oidcName: 'vaultlink',
        jwtPath: 'vaultlink-jwt',
      },
      recordingIO(),
      {},
    );
    expect(team).toMatchObject({ namespace, oidcProviderUrl: `${peer.addr}/v1/${namespace}/identity/oidc/provider/vaultlink` });
    // Created in the namespace, not in the root namespace.
    expect((await ns.request('GET', 'identity/oidc/client/vaultlink')).data.client_id).toBe(team['clientId']);

    const provider = createHashicorpProvider();
    let status: number | undefined;
    const io = recordingIO({ onBrowser: async (url) => void (status = (await playBrowser(url, memberToken)).redirectStatus) });
    const session = (await provider.authenticate({ loginTimeout: '30' }, io, { team })) as HashicorpSession;
    expect(status).toBe(200);
    expect(session.data).toMatchObject({ namespace, method: 'oidc' });
    expect(session.organization).toBe(`${peer.addr} (namespace ${namespace})`);

    const [result] = await readLinks(provider, [provider.parseLink({ engine: 'kv', path: 'app', key: 'token' })], session, {
      signal: new AbortController().signal,
    });
    expect(result).toEqual({ ok: true, value: 'ns-secret-value', version: '1' });
  });

  it('sends X-Vault-Namespace on every call of a token session', async () => {
    await ns.writePolicy('reader', 'path "kv/data/*" { capabilities = ["read"] }');
    const { token: reader } = await ns.createToken({ policies: ['reader'], ttl: '1h', displayName: `${tag}-reader` });
    const provider = createHashicorpProvider();
    const counter = auditCounter(peer, `token-${tag}-reader`);
    counter.reset();
    const session = (await tokenSession(provider, peer, reader, namespace)) as HashicorpSession;
    const [result] = await readLinks(provider, [provider.parseLink({ engine: 'kv', path: 'app', key: 'token' })], session, {
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ ok: true, value: 'ns-secret-value' });
    const entries = counter.entries();
    expect(entries.map((e) => e.request?.path)).toEqual(['auth/token/lookup-self', 'sys/internal/ui/mounts/kv', 'kv/data/app']);
    for (const entry of entries) expect(entry.request?.namespace?.path).toBe(`${namespace}/`);
    // Without the namespace header, the namespaced token gets nothing at kv/ in the root namespace.
    const rootSession = { ...session, data: { ...session.data, namespace: undefined } };
    const [outside] = await readLinks(provider, [provider.parseLink({ engine: 'kv', path: 'app', key: 'token' })], rootSession, {
      signal: new AbortController().signal,
    });
    expect(outside!.ok ? 'OK' : outside!.error.code).toBe('ACCESS_DENIED');
  });
});
