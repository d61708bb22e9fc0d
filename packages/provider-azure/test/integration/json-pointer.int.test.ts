/**
 * JSON Pointers into Key Vault secrets that hold JSON, against Lowkey Vault over verified TLS:
 * nested values, several pointers into one secret for one read (counted by the SDK pipeline
 * policy), and a missing path that names the deepest existing parent and its keys, never a value.
 */
import { readLinks, type FetchResult, type VaultError } from '@vault/core/provider';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AzureSession } from '../../src/index.js';
import { countingProvider, lowkeySeeder, managedIdentitySession, peer, uniqueName, useAppServiceManagedIdentity } from './helpers.js';

const signal = () => new AbortController().signal;

describe.skipIf(!peer)('--json-pointer on Lowkey Vault', () => {
  const lowkey = peer!;
  const values = {
    primary: uniqueName('ptr-primary-value'),
    replica: uniqueName('ptr-replica-value'),
    first: uniqueName('ptr-host-value'),
  };
  const document = { a: { b: values.primary, port: 5432 }, replica: { password: values.replica }, 'hosts/all': [values.first] };
  let id = '';
  let session: AzureSession;

  beforeAll(async () => {
    useAppServiceManagedIdentity(lowkey);
    session = await managedIdentitySession();
    const name = uniqueName('ptr-json');
    await lowkeySeeder(lowkey).setSecret(name, JSON.stringify(document));
    id = `${lowkey.url}/secrets/${name}`;
  });

  const value = (result: FetchResult | undefined) => (result?.ok ? result.value : `error ${result?.error.code}`);
  const failure = (result: FetchResult | undefined): VaultError | undefined => (result && !result.ok ? result.error : undefined);

  it('selects the value at the pointer; four pointers into one secret cost one Key Vault read', async () => {
    const { provider, reads } = countingProvider();
    const links = ['/a/b', '/replica/password', '/hosts~1all/0', '/a/port'].map((jsonPointer) => provider.parseLink({ id, jsonPointer }));
    const results = await readLinks(provider, links, session, { signal: signal() });
    expect(results.map(value)).toEqual([values.primary, values.replica, values.first, '5432']);
    expect(reads()).toHaveLength(1);
    // Without the flag the link still gets the whole secret.
    const [whole] = await readLinks(provider, [provider.parseLink({ id })], session, { signal: signal() });
    expect(JSON.parse(value(whole))).toEqual(document);
  });

  it('a missing pointer is KEY_NOT_FOUND naming the deepest parent and its keys, never a value', async () => {
    const { provider } = countingProvider();
    const [result] = await readLinks(provider, [provider.parseLink({ id, jsonPointer: '/a/c' })], session, { signal: signal() });
    const error = failure(result);
    expect(error?.code).toBe('KEY_NOT_FOUND');
    expect(error?.message).toContain(`${id} has nothing at --json-pointer /a/c: /a has no key "c". Keys there: b, port.`);
    expect(error?.fix).toMatchObject({ action: 'relink', provider: 'azure', flags: { 'json-pointer': '/a/b' } });
    expect(error?.details).toMatchObject({ jsonPointer: '/a/c', deepestParent: '/a', availableKeys: ['b', 'port'] });
    const text = JSON.stringify(error?.toJSON()) + String(error?.message);
    for (const secret of Object.values(values)) expect(text).not.toContain(secret);
  });

  it('a secret that is not JSON is UNSUPPORTED_VALUE without quoting it', async () => {
    const name = uniqueName('ptr-plain');
    const plain = uniqueName('plain-value-not-json');
    await lowkeySeeder(lowkey).setSecret(name, plain);
    const { provider } = countingProvider();
    const [result] = await readLinks(provider, [provider.parseLink({ id: `${lowkey.url}/secrets/${name}`, jsonPointer: '/a' })], session, {
      signal: signal(),
    });
    const error = failure(result);
    expect(error?.code).toBe('UNSUPPORTED_VALUE');
    expect(JSON.stringify(error?.toJSON()) + String(error?.message)).not.toContain(plain);
  });

  it('checks the pointer when the link is made, and shows it in the summary', () => {
    const { provider } = countingProvider();
    expect(() => provider.parseLink({ id, jsonPointer: 'a.b' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_LINK',
        issues: [expect.objectContaining({ field: 'json-pointer', problem: expect.stringContaining('did you mean /a/b?') })],
      }),
    );
    expect(provider.summarize(provider.parseLink({ id, jsonPointer: '/a/b' }))).toMatchObject({
      identifier: id,
      extra: { jsonPointer: '/a/b' },
    });
  });
});
