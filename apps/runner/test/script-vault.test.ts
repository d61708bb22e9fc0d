/**
 * pm.vault in scripts: with --allow-script-vault, `await pm.vault.get` reads local and
 * linked secrets, and set/unset change LOCAL secrets (written after the run); linked
 * secrets stay read-only. Without it, the runtime's own "Vault access denied".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { captureMessages, collection } from './helpers/collections.js';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { createTestVault, type TestVault } from './helpers/test-vault.js';

const LOCAL_A = 'local-a-value-1e2d3c';
const LOCAL_B = 'local-b-value-4f5a6b';
const LINKED = 'linked-value-c0ffee';
const SET_NEW = 'script-set-new-9b8a7c';
const SET_CHANGED = 'script-changed-a-6d5e4f';

function scriptCollection(origin: string) {
  return collection([
    {
      name: 'script uses pm.vault',
      request: { url: `${origin}/first`, header: [{ key: 'X-Got', value: '{{got}}' }] },
      prerequest: [
        'try {',
        '  const a = await pm.vault.get("local_a");',
        '  const linked = await pm.vault.get("linked_x");',
        '  pm.variables.set("got", a + "|" + linked);',
        '} catch (error) {',
        '  pm.variables.set("got", "error: " + (error && error.message || error));',
        '}',
      ],
      // After a request to the same host: the scope's domain matching has been used and must see the changes.
      test: [
        'try {',
        `  await pm.vault.set("new_secret", "${SET_NEW}");`,
        `  await pm.vault.set("local_a", "${SET_CHANGED}");`,
        '  await pm.vault.unset("local_b");',
        '  await pm.vault.set("linked_x", "overwritten-by-script");',
        '  await pm.vault.unset("linked_x");',
        '} catch (error) {',
        '  pm.environment.set("set_error", String(error && error.message || error));',
        '}',
      ],
    },
    {
      name: 'next request sees the changes',
      request: {
        url: `${origin}/second`,
        header: [
          { key: 'X-New', value: '{{vault:new_secret}}' },
          { key: 'X-A', value: '{{vault:local_a}}' },
          { key: 'X-Linked', value: '{{vault:linked_x}}' },
          { key: 'X-B', value: '{{vault:local_b}}' },
          { key: 'X-Set-Error', value: '{{set_error}}' },
        ],
      },
    },
  ]);
}

describe('pm.vault in scripts', () => {
  let server: RecordingServer;
  let testVault: TestVault;

  beforeEach(async () => {
    server = await startRecordingServer('127.0.0.1');
    testVault = await createTestVault({ 'team/x': LINKED });
    await testVault.vault.setLocal('local_a', LOCAL_A, { allowedDomains: ['http://127.0.0.1'] });
    await testVault.vault.setLocal('local_b', LOCAL_B);
    await testVault.vault.link('linked_x', 'memory', { path: 'team/x' });
  });

  afterEach(async () => {
    await server.close();
    await testVault.cleanup();
  });

  it('with --allow-script-vault: get works; set/unset change local secrets only, saved after the run', async () => {
    const { messages, warnings, infos } = captureMessages();
    const summary = await run({
      collection: scriptCollection(server.origin),
      allowScriptVault: true,
      vault: testVault.vault,
      env: testVault.env,
      messages,
    });

    expect(server.requests[0]?.headers['x-got']).toBe(`${LOCAL_A}|${LINKED}`);
    const second = server.requests[1];
    expect(second?.headers['x-new']).toBe(SET_NEW);
    expect(second?.headers['x-a']).toBe(SET_CHANGED);
    expect(second?.headers['x-linked']).toBe(LINKED); // the script's change was refused
    expect(second?.headers['x-b']).toBe('{{vault:local_b}}'); // unset
    expect(second?.headers['x-set-error']).toBe('{{set_error}}');

    expect(warnings.filter((warning) => warning.includes('pm.vault.set("linked_x") was ignored'))).toHaveLength(1);
    expect(warnings.filter((warning) => warning.includes('pm.vault.unset("linked_x") was ignored'))).toHaveLength(1);
    expect(infos.join('\n')).toContain('saved script changes to the local vault');
    expect(summary.vaultlink.scriptChanges).toEqual([
      { name: 'new_secret', op: 'set' },
      { name: 'local_a', op: 'set' },
      { name: 'local_b', op: 'unset' },
    ]);

    // What a later process sees in the vault file.
    const reopened = await testVault.reopen();
    expect(await reopened.get('new_secret')).toBe(SET_NEW);
    expect(await reopened.get('local_a')).toBe(SET_CHANGED);
    expect((await reopened.show('local_a')).allowedDomains).toEqual(['http://127.0.0.1']);
    await expect(reopened.show('local_b')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const linked = await reopened.show('linked_x');
    expect(linked.kind).toBe('linked');
    expect(linked.provider).toBe('memory');
    expect(await reopened.get('linked_x')).toBe(LINKED);
  });

  it('without --allow-script-vault: the runtime\'s "Vault access denied", and nothing changes', async () => {
    const { messages } = captureMessages();
    const summary = await run({ collection: scriptCollection(server.origin), vault: testVault.vault, env: testVault.env, messages });

    expect(server.requests[0]?.headers['x-got']).toBe('error: Vault access denied');
    expect(server.requests[1]?.headers['x-new']).toBe('{{vault:new_secret}}');
    expect(server.requests[1]?.headers['x-a']).toBe(LOCAL_A);
    expect(server.requests[1]?.headers['x-set-error']).toBe('Vault access denied');
    expect(summary.vaultlink.scriptChanges).toEqual([]);
    const reopened = await testVault.reopen();
    expect(await reopened.get('local_a')).toBe(LOCAL_A);
    expect(await reopened.get('local_b')).toBe(LOCAL_B);
    await expect(reopened.show('new_secret')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses pm.vault.set of a value fetched from an external vault (a copy would be written to disk), with a warning', async () => {
    const { messages, warnings } = captureMessages();
    const summary = await run({
      collection: collection([
        {
          name: 'copies a linked value',
          request: `${server.origin}/copy`,
          prerequest: [
            'const linked = await pm.vault.get("linked_x");',
            'await pm.vault.set("copy", linked);',
            'await pm.vault.set("wrapped", "prefix-" + linked + "-suffix");',
            'await pm.vault.set("fine", "a-local-value-5a5a");',
          ],
        },
      ]),
      allowScriptVault: true,
      vault: testVault.vault,
      env: testVault.env,
      messages,
    });
    expect(summary.vaultlink.scriptChanges).toEqual([{ name: 'fine', op: 'set' }]);
    expect(
      warnings.filter((warning) =>
        /pm\.vault\.set\("(copy|wrapped)"\) was refused: its value holds a value fetched from an external vault/.test(warning),
      ),
    ).toHaveLength(2);
    expect(warnings.join('\n')).not.toContain(LINKED);
    const reopened = await testVault.reopen();
    await expect(reopened.show('copy')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reopened.show('wrapped')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await reopened.get('fine')).toBe('a-local-value-5a5a');
  });
});
