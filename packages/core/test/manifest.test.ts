import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyLinkSync,
  exportLinks,
  linkManifestPath,
  parseLinkManifest,
  planLinkSync,
  readLinkManifest,
  writeLinkManifest,
  VaultError,
  LINKS_MANIFEST_ENV,
  type LinkManifest,
} from '../src/index.js';
import { setup, testIO } from './helpers.js';

const LOCAL_VALUE = 'local-value-never-exported-4411';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vaultlink-manifest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configError(run: () => Promise<unknown>): Promise<VaultError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

async function teamVault() {
  const made = setup();
  await made.vault.connect('memory', {}, testIO());
  await made.vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key', version: '1' }, { allowedDomains: ['api.pay.example'] });
  await made.vault.link('search', 'memory', { path: 'team/search' });
  await made.vault.link('hook', 'memory', { path: 'team/payments', jsonPointer: '/webhook' });
  await made.vault.setLocal('mine', LOCAL_VALUE);
  return made;
}

describe('link manifest format', () => {
  it('names every bad entry and field at once', async () => {
    const text = JSON.stringify({
      version: 2,
      links: {
        ok: { provider: 'memory', link: { path: 'a' } },
        'no-provider': { link: { path: 'a' } },
        'bad-flag': { provider: 'memory', link: { Path: 'a', key: 3 } },
        'bad-domain': { provider: 'memory', link: { path: 'a' }, allowedDomains: ['https://host:8443'] },
        extra: { provider: 'memory', link: {}, value: 'oops' },
        'bad{name}': { provider: 'memory', link: {} },
      },
      other: true,
    });
    const error = await configError(() => parseLinkManifest(text, '/repo/.vaultlink/links.json'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('/repo/.vaultlink/links.json');
    const fields = error.issues.map((i) => i.field).sort();
    expect(fields).toEqual(
      [
        'version',
        'other',
        'links.no-provider.provider',
        'links.bad-flag.link.Path',
        'links.bad-flag.link.key',
        'links.extra.value',
        'links.bad{name}',
      ].sort(),
    );
    // Domains are checked once the structure is valid.
    const domains = await configError(() =>
      parseLinkManifest(
        JSON.stringify({ version: 1, links: { d: { provider: 'memory', link: { path: 'a' }, allowedDomains: ['https://host:8443'] } } }),
        'm.json',
      ),
    );
    expect(domains.issues).toEqual([
      expect.objectContaining({ field: 'links.d.allowedDomains ("https://host:8443")', problem: expect.stringContaining('port') }),
    ]);
  });

  it('reports invalid JSON with its position and without quoting the text', async () => {
    const error = await configError(() => parseLinkManifest('{"version": 1, "links": {"a": secret-ish}}', 'm.json'));
    expect(error.issues[0]).toMatchObject({ field: '(file)', problem: expect.stringMatching(/^is not valid JSON/) });
    expect(JSON.stringify(error.toJSON())).not.toContain('secret-ish');
  });
});

describe('links export', () => {
  it('writes links as link flags with domains, never a value or a session, plus the schema beside it', async () => {
    const { vault } = await teamVault();
    const { manifest, changes, skipped } = await exportLinks(vault, undefined);
    expect(manifest.links).toEqual({
      hook: { provider: 'memory', link: { path: 'team/payments', 'json-pointer': '/webhook' }, allowedDomains: [] },
      pay: { provider: 'memory', link: { path: 'team/payments', key: 'api_key', version: '1' }, allowedDomains: ['api.pay.example'] },
      search: { provider: 'memory', link: { path: 'team/search' }, allowedDomains: [] },
    });
    expect(changes.map((c) => c.change)).toEqual(['added', 'added', 'added']);
    expect(skipped).toEqual([{ name: 'mine', reason: 'local value (only links are exported)' }]);
    const path = join(dir, '.vaultlink', 'links.json');
    await writeLinkManifest(path, manifest);
    const text = await readFile(path, 'utf8');
    expect(JSON.parse(text).$schema).toBe('./links.schema.json');
    expect(JSON.parse(await readFile(join(dir, '.vaultlink', 'links.schema.json'), 'utf8')).$id).toBe('urn:vaultlink:links-manifest:v1');
    expect(text).not.toContain(LOCAL_VALUE);
    for (const word of ['session', 'token', 'pay-key', 'whsec', 'value']) expect(text.toLowerCase()).not.toContain(word);
    expect(await readLinkManifest(path)).toEqual(JSON.parse(text));
  });

  it('refuses a named local secret or an unknown name, and merges into an existing manifest', async () => {
    const { vault } = await teamVault();
    const error = await configError(() => exportLinks(vault, undefined, ['mine', 'nope', 'pay']));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((i) => i.field)).toEqual(['mine', 'nope']);
    expect(JSON.stringify(error.toJSON())).not.toContain(LOCAL_VALUE);
    const existing: LinkManifest = {
      version: 1,
      links: { other: { provider: 'aws', link: { arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf' } } },
    };
    const merged = await exportLinks(vault, existing, ['pay']);
    expect(Object.keys(merged.manifest.links).sort()).toEqual(['other', 'pay']);
    const again = await exportLinks(vault, merged.manifest, ['pay']);
    expect(again.changes).toEqual([{ name: 'pay', change: 'unchanged' }]);
  });
});

describe('links sync', () => {
  async function exported(): Promise<LinkManifest> {
    const { vault } = await teamVault();
    return (await exportLinks(vault, undefined)).manifest;
  }

  it('adds, changes and leaves alone; never replaces a local value without force', async () => {
    const manifest = await exported();
    manifest.links['mine'] = { provider: 'memory', link: { path: 'team/search' } };
    manifest.links['hook'] = {
      provider: 'memory',
      link: { path: 'team/payments', 'json-pointer': '/api_key' },
      allowedDomains: ['hooks.example'],
    };
    const { vault } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.setLocal('mine', LOCAL_VALUE);
    await vault.link('hook', 'memory', { path: 'team/payments', jsonPointer: '/webhook' });
    await vault.link('search', 'memory', { path: 'team/search' });

    const plan = await planLinkSync(vault, manifest, 'm.json');
    expect(plan.map((i) => [i.name, i.status])).toEqual([
      ['hook', 'changed'],
      ['mine', 'kept'],
      ['pay', 'added'],
      ['search', 'unchanged'],
    ]);
    expect(plan[0]!.differences).toEqual([
      { field: 'json-pointer', from: '/webhook', to: '/api_key' },
      { field: 'allowedDomains', from: '(any host)', to: 'hooks.example' },
    ]);
    await applyLinkSync(vault, plan);
    expect(await vault.get('mine')).toBe(LOCAL_VALUE);
    expect(await vault.get('pay')).toBe('pay-key-old-1111');
    expect(await vault.get('hook')).toBe('pay-key-new-3333');
    expect((await vault.show('hook')).allowedDomains).toEqual(['hooks.example']);

    const forced = await planLinkSync(vault, manifest, 'm.json', { force: true });
    expect(forced.find((i) => i.name === 'mine')).toMatchObject({
      status: 'changed',
      differences: [{ field: 'value', from: 'local value', to: 'link to memory' }],
    });
    await applyLinkSync(vault, forced);
    expect(await vault.get('mine')).toBe('search-token-5555');
    expect((await planLinkSync(vault, manifest, 'm.json')).every((i) => i.status === 'unchanged')).toBe(true);
  });

  it('an entry the provider rejects stops the whole sync before anything is written, naming entry and field', async () => {
    const manifest = await exported();
    manifest.links['broken'] = { provider: 'memory', link: { path: 'bad path!', 'json-pointer': 'a.b' } };
    manifest.links['ghost'] = { provider: 'no-such-provider', link: { x: 'y' } };
    const { vault } = setup();
    await vault.connect('memory', {}, testIO());
    const error = await configError(() => planLinkSync(vault, manifest, 'm.json'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('Nothing was changed');
    expect(error.issues.map((i) => i.field)).toEqual(['links.broken.link.path', 'links.broken.link.json-pointer', 'links.ghost.provider']);
    expect(await vault.list()).toEqual([]);
  });
});

describe('VAULTLINK_LINKS: the manifest as a fallback for resolving', () => {
  it('resolves names the vault lacks from the manifest; the vault wins, a disabled entry stays disabled', async () => {
    const path = join(dir, 'links.json');
    await writeLinkManifest(path, {
      version: 1,
      links: {
        pay: { provider: 'memory', link: { path: 'team/payments', key: 'api_key' }, allowedDomains: ['api.pay.example'] },
        search: { provider: 'memory', link: { path: 'team/search' } },
        off: { provider: 'memory', link: { path: 'team/search' } },
      },
    });
    const { vault } = setup({ vault: { env: { [LINKS_MANIFEST_ENV]: path } } });
    await vault.connect('memory', {}, testIO());
    await vault.setLocal('search', 'local-search-wins');
    await vault.setLocal('off', 'x');
    await vault.setEnabled('off', false);
    const resolved = await vault.resolveNames(['pay', 'search', 'off', 'absent']);
    expect(resolved.get('pay')).toMatchObject({
      ok: true,
      value: 'pay-key-new-3333',
      allowedDomains: ['api.pay.example'],
      source: 'linked',
    });
    expect(resolved.get('search')).toMatchObject({ ok: true, value: 'local-search-wins' });
    expect(resolved.get('off')).toMatchObject({ ok: false, reason: 'disabled' });
    expect(resolved.get('absent')).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('is never picked up from the working directory by itself', async () => {
    const found = await linkManifestPath({ cwd: dir });
    await writeLinkManifest(found.path, {
      version: 1,
      links: { pay: { provider: 'memory', link: { path: 'team/payments', key: 'api_key' } } },
    });
    const { vault } = setup({ vault: { env: {}, cwd: dir } });
    await vault.connect('memory', {}, testIO());
    expect((await vault.resolveNames(['pay'])).get('pay')).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('a broken manifest or entry fails only the names that needed it, with INVALID_CONFIG naming the field', async () => {
    const path = join(dir, 'links.json');
    await writeFile(
      path,
      JSON.stringify({ version: 1, links: { bad: { provider: 'memory', link: { path: 'team/payments', 'json-pointer': 'x.y' } } } }),
    );
    const { vault } = setup({ vault: { env: { [LINKS_MANIFEST_ENV]: path } } });
    await vault.connect('memory', {}, testIO());
    await vault.setLocal('here', 'here-value');
    const resolved = await vault.resolveNames(['here', 'bad']);
    expect(resolved.get('here')).toMatchObject({ ok: true });
    expect(resolved.get('bad')).toMatchObject({ ok: false, code: 'INVALID_CONFIG', message: expect.stringContaining(path) });
    await writeFile(path, '{ not json');
    const { vault: other } = setup({ vault: { env: { [LINKS_MANIFEST_ENV]: path } } });
    expect((await other.resolveNames(['bad'])).get('bad')).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
  });
});
