/**
 * Values reach the server in every request part (URL, header, body, auth), from local
 * and linked secrets, through nested variables and iteration data; resolution is one
 * batched, de-duplicated pass through core.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { captureMessages, collection, environment } from './helpers/collections.js';
import { useRunSetup } from './helpers/run-setup.js';

const LOCAL_KEY = 'local-key-6f1d0c';
const LOCAL_BODY = 'local-body-9a7e22';
const LOCAL_PASS = 'local-pass-0c4b5d';
const LINKED_KEY = 'linked-key-e5a913';
const LINKED_TOKEN = 'linked-token-b2c8f0';
const LINKED_BEARER = 'linked-bearer-4d6a71';
const DATA_ONE = 'data-row-one-7c1e';
const DATA_TWO = 'data-row-two-8d2f';

describe('resolving and sending vault secrets', () => {
  const setup = useRunSetup({ documents: { 'team/api': { key: LINKED_KEY, token: LINKED_TOKEN, bearer: LINKED_BEARER } } });

  beforeAll(async () => {
    const { vault } = setup.testVault;
    await vault.setLocal('local_key', LOCAL_KEY);
    await vault.setLocal('local_body', LOCAL_BODY);
    await vault.setLocal('local_pass', LOCAL_PASS);
    await vault.setLocal('data_one', DATA_ONE);
    await vault.setLocal('data_two', DATA_TWO);
    for (const [name, key] of [
      ['linked_key', 'key'],
      ['linked_token', 'token'],
      ['linked_bearer', 'bearer'],
    ] as const) {
      await vault.link(name, 'memory', { path: 'team/api', key });
    }
  });

  it('sends local and linked values in the URL, headers, body and auth, including nested and data references', async () => {
    setup.testVault.memory.resetStats();
    const { messages, warnings } = captureMessages();
    const summary = await run({
      collection: collection(
        [
          {
            name: 'every part',
            request: {
              method: 'POST',
              url: `${setup.server.origin}/send?local={{vault:local_key}}&linked={{vault:linked_key}}`,
              header: [
                { key: 'X-Local', value: '{{vault:local_key}}' },
                { key: 'X-Nested', value: '{{token}}' },
                { key: 'X-Data', value: '{{apiKey}}' },
              ],
              body: { mode: 'raw', raw: '{"secret":"{{vault:local_body}}"}', options: { raw: { language: 'json' } } },
              auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{vault:linked_bearer}}', type: 'string' }] },
            },
          },
          {
            name: 'basic auth',
            request: {
              url: `${setup.server.origin}/basic`,
              auth: {
                type: 'basic',
                basic: [
                  { key: 'username', value: 'alice' },
                  { key: 'password', value: '{{vault:local_pass}}' },
                ],
              },
            },
          },
        ],
        { base: setup.server.origin },
      ),
      environment: environment({ token: '{{vault:linked_token}}' }),
      iterationData: [{ apiKey: '{{vault:data_one}}' }, { apiKey: '{{vault:data_two}}' }],
      vault: setup.testVault.vault,
      env: setup.testVault.env,
      messages,
    });

    expect(summary.vaultlink.exitCode).toBe(0);
    expect(warnings).toEqual([]);
    const sends = setup.server.requests.filter((request) => request.url.startsWith('/send'));
    expect(sends).toHaveLength(2);
    for (const [index, request] of sends.entries()) {
      expect(request.url).toBe(`/send?local=${LOCAL_KEY}&linked=${LINKED_KEY}`);
      expect(request.headers['x-local']).toBe(LOCAL_KEY);
      expect(request.headers['x-nested']).toBe(LINKED_TOKEN);
      expect(request.headers['x-data']).toBe(index === 0 ? DATA_ONE : DATA_TWO);
      expect(request.headers['authorization']).toBe(`Bearer ${LINKED_BEARER}`);
      expect(JSON.parse(request.body)).toEqual({ secret: LOCAL_BODY });
    }
    const basic = setup.server.requests.find((request) => request.url === '/basic');
    expect(basic?.headers['authorization']).toBe(`Basic ${Buffer.from(`alice:${LOCAL_PASS}`).toString('base64')}`);
    expect(summary.vaultlink.resolved.sort()).toEqual(
      ['data_one', 'data_two', 'linked_bearer', 'linked_key', 'linked_token', 'local_body', 'local_key', 'local_pass'].sort(),
    );
    // Three links to one document, resolved together: one upstream call, one document read.
    expect(setup.testVault.memory.stats.upstreamCalls).toBe(1);
    expect(setup.testVault.memory.stats.upstreamReads).toBe(1);
  });

  it('reuses the cache on the next run: no upstream call at all', async () => {
    setup.testVault.memory.resetStats();
    const before = setup.server.requests.length;
    const summary = await run({
      collection: collection([{ name: 'linked', request: `${setup.server.origin}/cached?k={{vault:linked_key}}` }]),
      vault: setup.testVault.vault,
      env: setup.testVault.env,
      messages: captureMessages().messages,
    });
    expect(summary.vaultlink.exitCode).toBe(0);
    expect(setup.server.requests.slice(before).map((request) => request.url)).toEqual([`/cached?k=${LINKED_KEY}`]);
    expect(setup.testVault.memory.stats.upstreamCalls).toBe(0);
  });

  it('resolves only the references of the selected --folder', async () => {
    const { messages, warnings } = captureMessages();
    const before = setup.server.requests.length;
    const summary = await run({
      collection: {
        ...collection([]),
        item: [
          { name: 'chosen', item: [{ name: 'in folder', request: `${setup.server.origin}/chosen?k={{vault:local_key}}` }] },
          { name: 'other', item: [{ name: 'elsewhere', request: `${setup.server.origin}/other?k={{vault:does_not_exist}}` }] },
        ],
      },
      folder: 'chosen',
      failOnUnresolved: true,
      vault: setup.testVault.vault,
      env: setup.testVault.env,
      messages,
    });
    expect(summary.vaultlink.exitCode).toBe(0);
    expect(summary.vaultlink.resolved).toEqual(['local_key']);
    expect(warnings).toEqual([]);
    expect(setup.server.requests.slice(before).map((request) => request.url)).toEqual([`/chosen?k=${LOCAL_KEY}`]);
  });
});
