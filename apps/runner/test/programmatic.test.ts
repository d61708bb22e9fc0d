/**
 * The programmatic hook: `run(options)` takes newman's options and returns newman's
 * summary shape (masked), rejects with a VaultError when the run cannot start, and leaves
 * plain newman runs in the same process untouched.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isVaultError } from '@vault/core';
import { run } from '../src/index.js';
import { captureMessages, collection } from './helpers/collections.js';
import { useRunSetup } from './helpers/run-setup.js';

const TOKEN = 'programmatic-token-8e9f';

describe('run(options)', () => {
  const setup = useRunSetup({ locals: { token: TOKEN } });

  it('hands its concurrency option to the vault it opens', async () => {
    const asked: Array<{ concurrency?: number }> = [];
    const summary = await run({
      collection: collection([{ name: 'call', request: { url: `${setup.server.origin}/c?t={{vault:token}}` } }]),
      vault: async (options) => {
        asked.push(options ?? {});
        return setup.testVault.vault;
      },
      concurrency: 3,
      env: setup.testVault.env,
      messages: captureMessages().messages,
    });
    expect(summary.vaultlink.exitCode).toBe(0);
    expect(asked).toEqual([{ concurrency: 3 }]);
  });

  it("resolves to newman's summary, with values masked and a vaultlink section", async () => {
    const summary = await run({
      collection: collection([
        {
          name: 'call',
          request: {
            url: `${setup.server.origin}/call?t={{vault:token}}`,
            header: [{ key: 'Authorization', value: 'Token {{vault:token}}' }],
          },
          test: ['pm.test("ok", () => pm.response.to.have.status(200));'],
        },
      ]),
      iterationCount: 2,
      vault: setup.testVault.vault,
      env: setup.testVault.env,
      messages: captureMessages().messages,
    });
    expect(summary.run.stats['requests']).toMatchObject({ total: 2, failed: 0 });
    expect(summary.run.stats['assertions']).toMatchObject({ total: 2, failed: 0 });
    expect(summary.run.failures).toEqual([]);
    expect(summary.collection['info']).toMatchObject({ name: 'vaultlink test' });
    expect(summary.run.executions).toHaveLength(2);
    expect(JSON.stringify(summary)).not.toContain(TOKEN);
    expect(JSON.stringify(summary.run.executions[0])).toContain('Token ********');
    expect(summary.vaultlink).toMatchObject({ exitCode: 0, resolved: ['token'], unresolved: [], scriptChanges: [] });
    expect(setup.server.requests.filter((request) => request.url === `/call?t=${TOKEN}`)).toHaveLength(2);
  });

  it('rejects with UNRESOLVED (names and reasons in details) when failOnUnresolved is set', async () => {
    const error = await run({
      collection: collection([{ name: 'missing', request: `${setup.server.origin}/missing?t={{vault:absent}}` }]),
      failOnUnresolved: true,
      vault: setup.testVault.vault,
      env: setup.testVault.env,
      messages: captureMessages().messages,
    }).catch((caught: unknown) => caught);
    expect(isVaultError(error, 'UNRESOLVED')).toBe(true);
    expect((error as { details: unknown }).details).toEqual({ unresolved: [{ name: 'absent', reason: 'missing', code: 'UNRESOLVED' }] });
    expect(setup.server.requests.some((request) => request.url.startsWith('/missing'))).toBe(false);
  });

  it('needs no vault for a collection without references', async () => {
    const summary = await run({
      collection: collection([{ name: 'plain', request: `${setup.server.origin}/plain` }]),
      vault: async () => {
        throw new Error('the vault should not be opened');
      },
      env: setup.testVault.env,
      messages: captureMessages().messages,
    });
    expect(summary.vaultlink.exitCode).toBe(0);
  });

  it('leaves a plain newman.run in the same process alone (no vault scope injected)', async () => {
    const newman = createRequire(import.meta.url)('newman') as { run: (options: object, callback: (error: Error | null) => void) => void };
    await new Promise<void>((resolve, reject) =>
      newman.run(
        { collection: collection([{ name: 'plain newman', request: `${setup.server.origin}/plain-newman?t={{vault:token}}` }]) },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    expect(setup.server.requests.find((request) => request.url.startsWith('/plain-newman'))?.url).toBe('/plain-newman?t={{vault:token}}');
  });
});
