/**
 * JSON Pointers into KV values against OpenBao: a nested object in the KV data and a string
 * that holds JSON, several pointers into one secret for one read (counted in the audit log),
 * and a missing path that names the deepest existing parent and its keys, never a value.
 */
import { readLinks, type Session } from '@vault/core/provider';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHashicorpProvider } from '../../src/index.js';
import { SEED_READ_POLICY, auditCounter, openBaoPeer, seeder, tokenSession, uniq } from '../support/bao.js';

const peer = openBaoPeer();
const root = seeder(peer);
const base = uniq('ptr');
const tag = uniq('vlptr');
const counter = auditCounter(peer, `token-${tag}`);
const policy = uniq('ptr-read');
const values = { primary: uniq('ptr-primary-value'), replica: uniq('ptr-replica-value'), inString: uniq('ptr-in-string') };
const signal = () => new AbortController().signal;

let session: Session;
const provider = createHashicorpProvider({ retries: 0 });

beforeAll(async () => {
  await root.writePolicy(policy, SEED_READ_POLICY);
  await root.kvPut('secret', `${base}/app`, {
    db: { primary: { password: values.primary, port: 5432 }, replica: { password: values.replica } },
    config: JSON.stringify({ nested: { token: values.inString } }),
  });
  const { token } = await root.createToken({ policies: [policy], ttl: '1h', displayName: `${tag}-reader` });
  session = await tokenSession(provider, peer, token);
});

describe('--json-pointer on OpenBao KV', () => {
  it('reaches into nested KV data and into a string that holds JSON; four pointers cost one read', async () => {
    const links = [
      provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'db', jsonPointer: '/primary/password' }),
      provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'db', jsonPointer: '/replica/password' }),
      provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'db', jsonPointer: '/primary/port' }),
      provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'config', jsonPointer: '/nested/token', kvVersion: '2' }),
    ];
    // Warm the engine detection, so the count below is only the document reads.
    await readLinks(provider, [links[0]!], session as never, { signal: signal() });
    counter.reset();
    const results = await readLinks(provider, links, session as never, { signal: signal() });
    expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual([values.primary, values.replica, '5432', values.inString]);
    expect(counter.paths()).toEqual([`secret/data/${base}/app`]);
  });

  it('a missing path is KEY_NOT_FOUND naming the deepest parent and its keys, with a relink fix', async () => {
    const [result] = await readLinks(
      provider,
      [provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'db', jsonPointer: '/primary/user' })],
      session as never,
      { signal: signal() },
    );
    const error = result && !result.ok ? result.error : undefined;
    expect(error?.code).toBe('KEY_NOT_FOUND');
    expect(error?.message).toContain(
      `secret/${base}/app#db has nothing at --json-pointer /primary/user: /primary has no key "user". Keys there: password, port.`,
    );
    expect(error?.fix).toEqual({
      action: 'relink',
      provider: 'hashicorp',
      flags: { engine: 'secret', path: `${base}/app`, key: 'db', 'json-pointer': '/primary/password' },
      hint: 'a pointer through the keys listed',
    });
    const text = JSON.stringify(error?.toJSON()) + error?.message;
    for (const value of Object.values(values)) expect(text).not.toContain(value);
  });

  it('shows the pointer in the summary (list/show) and keeps the key in the identifier', () => {
    const summary = provider.summarize(
      provider.parseLink({ engine: 'secret', path: `${base}/app`, key: 'db', jsonPointer: '/primary/password' }),
    );
    expect(summary).toMatchObject({ identifier: `secret/${base}/app#db`, extra: { key: 'db', jsonPointer: '/primary/password' } });
  });
});
