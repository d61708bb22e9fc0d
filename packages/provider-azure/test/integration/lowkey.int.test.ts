/**
 * Behaviour against a real Key Vault API (Lowkey Vault) over verified TLS, signed in with
 * managed identity through Lowkey's token endpoint: versions, disabled and expired secrets,
 * not found, two vaults on one server, and `show` metadata.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FetchResult, VaultError } from '@vault/core/provider';
import { readLinks } from '@vault/core/provider';
import type { AzureSession } from '../../src/index.js';
import {
  countingProvider,
  lowkeySeeder,
  managedIdentitySession,
  peer,
  putSecretWithContentType,
  uniqueName,
  useAppServiceManagedIdentity,
} from './helpers.js';

const signal = () => new AbortController().signal;

function value(result: FetchResult | undefined): string {
  expect(result?.ok, JSON.stringify(result)).toBe(true);
  return (result as { value: string }).value;
}

function failure(result: FetchResult | undefined): VaultError {
  expect(result?.ok, JSON.stringify(result)).toBe(false);
  return (result as { error: VaultError }).error;
}

describe.skipIf(!peer)('Azure Key Vault provider on Lowkey Vault', () => {
  const lowkey = peer!;
  // Built on first use: the describe body also runs (for collection) when the peer is skipped.
  let seeder: ReturnType<typeof lowkeySeeder> | undefined;
  const kv = () => (seeder ??= lowkeySeeder(lowkey));
  let session: AzureSession;

  beforeAll(async () => {
    useAppServiceManagedIdentity(lowkey);
    session = await managedIdentitySession();
  });

  it("signs in with managed identity through Lowkey's token endpoint, storing no token", async () => {
    expect(session).toMatchObject({ provider: 'azure', principal: 'managed identity system-assigned', expiresAt: null });
    // Lowkey's tokens carry no tenant claim; real managed identity tokens do (tid).
    expect(session.organization).toBe('managed-identity (tenant unknown)');
    expect(session.data).toEqual({ method: 'managed-identity', scope: 'https://vault.azure.net/.default' });
  });

  it('reads latest on every fetch and keeps a pinned version after a new version is written', async () => {
    const name = uniqueName('versions');
    const [v1] = await kv().setSecretVersions(name, ['first-value-Tn4']);
    const { provider } = countingProvider();
    const latest = provider.parseLink({ id: `${lowkey.url}/secrets/${name}` });
    const pinned = provider.parseLink({ id: `${lowkey.url}/secrets/${name}/${v1}` });
    expect(provider.linkWarnings!(latest)[0]).toContain('is not a known Key Vault domain');

    let [l, p] = await readLinks(provider, [latest, pinned], session, { signal: signal() });
    expect([value(l), value(p)]).toEqual(['first-value-Tn4', 'first-value-Tn4']);
    expect(l).toMatchObject({ version: v1 });

    const [v2] = await kv().setSecretVersions(name, ['second-value-Tn4']);
    [l, p] = await readLinks(provider, [latest, pinned], session, { signal: signal() });
    expect(value(l)).toBe('second-value-Tn4');
    expect(l).toMatchObject({ version: v2 });
    expect(value(p)).toBe('first-value-Tn4');
    expect(p).toMatchObject({ version: v1 });
  });

  it('reports a disabled version as SECRET_DISABLED naming the state; other versions still read', async () => {
    const name = uniqueName('disabled');
    const [v1, v2] = await kv().setSecretVersions(name, ['enabled-old-Pq8', 'disabled-new-Pq8']);
    await kv().disableSecret(name, v2);
    const { provider } = countingProvider();
    const latest = provider.parseLink({ id: `${lowkey.url}/secrets/${name}` });
    const [l, old] = await readLinks(provider, [latest, provider.parseLink({ id: `${lowkey.url}/secrets/${name}/${v1}` })], session, {
      signal: signal(),
    });
    const error = failure(l);
    expect(error.code).toBe('SECRET_DISABLED');
    expect(error.message).toContain('is disabled');
    expect(error.message).not.toContain('disabled-new-Pq8');
    expect(value(old)).toBe('enabled-old-Pq8');

    // `show` still describes it, from the version list, without a value.
    const info = await provider.describe(latest, session, { signal: signal(), timeoutMs: 30_000 });
    expect(info).toMatchObject({ name, version: v2, enabled: false, state: 'disabled', versionPinned: false });
    expect(JSON.stringify(info)).not.toContain('Pq8');
  });

  it('refuses an expired secret, naming the state', async () => {
    const name = uniqueName('expired');
    await kv().setSecret(name, 'expired-value-Yc1', { expiresOn: new Date(Date.now() - 3_600_000) });
    const { provider } = countingProvider();
    const [result] = await readLinks(provider, [provider.parseLink({ id: `${lowkey.url}/secrets/${name}` })], session, {
      signal: signal(),
    });
    const error = failure(result);
    expect(error.code).toBe('SECRET_DISABLED');
    expect(error.details.state).toBe('expired');
    expect(error.message).toMatch(/expired on/);
    expect(error.message).not.toContain('expired-value-Yc1');
  });

  it('reports a missing secret or version as NOT_FOUND', async () => {
    const name = uniqueName('present');
    await kv().setSecret(name, 'present-value-Gh6');
    const { provider } = countingProvider();
    const results = await readLinks(
      provider,
      [
        provider.parseLink({ id: `${lowkey.url}/secrets/${uniqueName('absent')}` }),
        provider.parseLink({ id: `${lowkey.url}/secrets/${name}/0123456789abcdef0123456789abcdef` }),
      ],
      session,
      { signal: signal() },
    );
    expect(results.map((r) => failure(r).code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
  });

  it('reads two vaults on one Lowkey server through two clients, each reused', async () => {
    expect(lowkey.secondUrl, 'the harness provides PEER_LOWKEY_SECOND_URL').toBeTruthy();
    const second = lowkeySeeder(lowkey, { vaultUrl: lowkey.secondUrl! });
    const name = uniqueName('two-vaults');
    await kv().setSecret(name, 'first-vault-Bd3');
    await second.setSecret(name, 'second-vault-Bd3');
    const counting = countingProvider();
    const { provider } = counting;
    const links = [`${lowkey.url}/secrets/${name}`, `${lowkey.secondUrl}/secrets/${name}`].map((id) => provider.parseLink({ id }));
    expect(provider.documentKey(links[0]!)).not.toBe(provider.documentKey(links[1]!));

    const first = await readLinks(provider, links, session, { signal: signal() });
    expect(first.map(value)).toEqual(['first-vault-Bd3', 'second-vault-Bd3']);
    const origins = (list: typeof counting.attempts) => list.map((a) => `${a.origin} ${a.authorized ? 'token' : 'challenge'}`).sort();
    // Each vault's client met the challenge once, then sent the read with a token.
    expect(origins(counting.attempts)).toEqual(
      [`${lowkey.secondUrl} challenge`, `${lowkey.secondUrl} token`, `${lowkey.url} challenge`, `${lowkey.url} token`].sort(),
    );

    counting.reset();
    const again = await readLinks(provider, links, session, { signal: signal() });
    expect(again.map(value)).toEqual(['first-vault-Bd3', 'second-vault-Bd3']);
    // Same clients: no new challenge round trips.
    expect(origins(counting.attempts)).toEqual([`${lowkey.secondUrl} token`, `${lowkey.url} token`].sort());
  });

  it('de-duplicates links to one secret and version within a fetch', async () => {
    const name = uniqueName('dedupe');
    const [v1] = await kv().setSecretVersions(name, ['dedupe-value-Xs9']);
    const counting = countingProvider();
    const { provider } = counting;
    const ids = [
      `${lowkey.url}/secrets/${name}`,
      `${lowkey.url}/secrets/${name.toUpperCase()}/`,
      `${lowkey.url}/secrets/${name}/${v1}`,
      `${lowkey.url}/secrets/${name}`,
    ];
    const results = await readLinks(
      provider,
      ids.map((id) => provider.parseLink({ id })),
      session,
      { signal: signal() },
    );
    expect(results.map(value)).toEqual(Array(4).fill('dedupe-value-Xs9'));
    // latest (3 links) + the pinned version (1 link) = two reads.
    expect(counting.reads()).toHaveLength(2);
  });

  it('describes a secret for `show`: resolved version, state, content type, dates and tags, never the value', async () => {
    const name = uniqueName('described');
    const version = await putSecretWithContentType(lowkey.url, name, 'described-value-Kk2', 'text/plain', { team: 'payments' });
    const { provider } = countingProvider();
    const info = await provider.describe(provider.parseLink({ id: `${lowkey.url}/secrets/${name}` }), session, {
      signal: signal(),
      timeoutMs: 30_000,
    });
    expect(info).toMatchObject({
      vault: lowkey.url,
      name,
      version,
      versionPinned: false,
      enabled: true,
      state: 'active',
      contentType: 'text/plain',
      tags: { team: 'payments' },
      expiresOn: null,
    });
    expect(Date.parse(info.createdOn as string)).toBeGreaterThan(0);
    expect(Date.parse(info.updatedOn as string)).toBeGreaterThan(0);
    expect(JSON.stringify(info)).not.toContain('described-value-Kk2');
  });
});
