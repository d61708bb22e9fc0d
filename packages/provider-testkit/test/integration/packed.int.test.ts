/**
 * What a third party gets from the registry: `@vault/core` and `@vault/provider-testkit` packed
 * as tarballs and installed with npm in a folder outside the workspace (no pnpm overrides, no
 * workspace links), next to a small provider written the way docs/writing-a-provider.md says.
 * Checks the subpath entries from ESM and CommonJS (one VaultError class for all of them),
 * loading the provider by name, and the testkit's groups against it.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packages = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

const PROVIDER = `
import { VaultError, defineProvider, importOptional } from '@vault/core/provider';
const loadSdk = importOptional('node:zlib', () => import('node:zlib'));
const items = { 'team/api': { password: 'tiny-packed-value-5b1', user: 'svc' }, a: { password: 'tiny-a-1' }, b: { password: 'tiny-b-2' }, c: { password: 'tiny-c-3' }, hr: { password: 'tiny-hr-4' } };
export default defineProvider({
  id: 'tiny',
  displayName: 'Tiny vault',
  flags: { link: [{ name: 'item', type: 'string', description: 'Item name' }, { name: 'field', type: 'string', description: 'Field', choices: ['password', 'user'] }] },
  parseLink: (f) => ({ item: f.required('item', 'an item such as team/api'), field: f.text('field') ?? 'password' }),
  documentKey: (link) => link.item,
  summarize: (link) => ({ identifier: link.item + '#' + link.field }),
  authenticate: async (fields) => ({ provider: 'tiny', organization: 'o', principal: fields.user ?? 'p', expiresAt: null, createdAt: new Date().toISOString(), data: {} }),
  async readDocument(link, session, call) {
    if (call.signal.aborted) throw new VaultError('ABORTED', 'cancelled', { provider: 'tiny' });
    await loadSdk();
    if (link.item === 'hr' && session.principal === 'mallory') throw new VaultError('ACCESS_DENIED', 'mallory may not read hr.', { provider: 'tiny', fix: 'ask the tiny admin' });
    const item = items[link.item];
    if (!item) throw new VaultError('NOT_FOUND', 'No item ' + link.item + '.', { provider: 'tiny', fix: { action: 'relink', provider: 'tiny', flags: { item: 'NAME' } } });
    return item;
  },
  select: (link, item) => ({ value: item[link.field] }),
  async describe(link, _session, call) {
    if (call.signal.aborted) throw new VaultError('ABORTED', 'cancelled', { provider: 'tiny' });
    return { item: link.item };
  },
});
`;

const CHECK = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const esm = { core: await import('@vault/core'), provider: await import('@vault/core/provider'), testing: await import('@vault/core/testing'), kit: await import('@vault/provider-testkit') };
const cjs = { core: require('@vault/core'), provider: require('@vault/core/provider'), testing: require('@vault/core/testing') };
const report = {};
report.oneClassEsm = esm.core.VaultError === esm.provider.VaultError;
report.oneClassCjs = cjs.core.VaultError === cjs.provider.VaultError;
report.cjsMemory = typeof cjs.testing.createMemoryProvider;
const tiny = await esm.core.loadProvider('tiny', { resolveFrom: [process.cwd()] });
report.problems = esm.core.validateProvider(tiny);
const session = await tiny.authenticate({}, {}, {});
const [hit, miss] = await esm.provider.readLinks(tiny, [tiny.parseLink({ item: 'team/api', field: 'user' }), tiny.parseLink({ item: 'nope' })], session);
report.hit = hit.ok ? hit.value : hit.error.code;
report.miss = miss.ok ? 'ok' : miss.error.toJSON();
// Link manifests: the schema ships, and ajv (a dependency loaded on first use) validates from both builds.
const manifest = JSON.stringify({ $schema: './links.schema.json', version: 1, links: { a: { provider: 'tiny', link: { item: 'a' } } } });
report.manifestNames = Object.keys((await esm.core.parseLinkManifest(manifest, 'links.json')).links);
report.manifestBad = await cjs.core.parseLinkManifest(JSON.stringify({ version: 1, links: { a: { link: {} } } }), 'links.json').then(() => [], (error) => error.issues.map((i) => i.field));
report.schemaId = require('@vault/core/schemas/links-v1.schema.json').$id;
const tests = [];
const path = [];
const api = {
  describe: (name, fn) => { path.push(name); fn(); path.pop(); },
  it: (name, fn) => tests.push({ title: [...path, name].join(' > '), fn }),
  expect: () => ({}),
};
const options = {
  name: 'tiny',
  createProvider: () => tiny,
  createSession: async () => session,
  fixtures: async () => ({
    latest: { fields: { item: 'team/api' }, value: 'tiny-packed-value-5b1' },
    missing: { fields: { item: 'nope' } },
    sameDocument: [{ fields: { item: 'team/api' }, value: 'tiny-packed-value-5b1' }, { fields: { item: 'team/api', field: 'user' }, value: 'svc' }],
    distinct: ['a', 'b', 'c'].map((item, i) => ({ fields: { item }, value: 'tiny-' + item + '-' + (i + 1) })),
    denied: { fields: { item: 'hr' }, session: await tiny.authenticate({ user: 'mallory' }, {}, {}) },
    invalid: [{ fields: {}, field: 'item' }, { fields: { item: 'a', field: 'x' }, field: 'field' }],
  }),
};
for (const group of ['contractTests', 'parsingTests', 'latestTests', 'notFoundVsDeniedTests', 'cancellationTests']) esm.kit[group](api, options);
report.results = [];
for (const test of tests) {
  try { await test.fn(); report.results.push([test.title, 'passed']); } catch (error) { report.results.push([test.title, String(error.message).split('\\n')[0]]); }
}
process.stdout.write(JSON.stringify(report));
`;

describe('@vault/core and @vault/provider-testkit from packed tarballs', () => {
  let dir: string;
  let report: Record<string, unknown>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vaultlink-packed-'));
    const tarballs = join(dir, 'tarballs');
    await mkdir(tarballs);
    for (const pkg of ['core', 'provider-testkit'])
      await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(packages, pkg) });
    const providerDir = join(dir, 'vaultlink-provider-tiny');
    await mkdir(providerDir);
    await writeFile(
      join(providerDir, 'package.json'),
      JSON.stringify({
        name: 'vaultlink-provider-tiny',
        version: '1.0.0',
        type: 'module',
        exports: './index.js',
        peerDependencies: { '@vault/core': '*' },
      }),
    );
    await writeFile(join(providerDir, 'index.js'), PROVIDER);
    await run('npm', ['pack', '--pack-destination', tarballs], { cwd: providerDir });
    const app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    const files = (await readdir(tarballs)).map((f) => join(tarballs, f));
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...files], { cwd: app, timeout: 300_000 });
    await writeFile(join(app, 'check.mjs'), CHECK);
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app });
    report = JSON.parse(stdout) as Record<string, unknown>;
  }, 360_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves @vault/core, /provider and /testing to ESM and CommonJS with one VaultError class', () => {
    expect(report).toMatchObject({ oneClassEsm: true, oneClassCjs: true, cjsMemory: 'function' });
  });

  it("loads a provider built with defineProvider by name, and reads through core's engine", () => {
    expect(report['problems']).toEqual([]);
    expect(report['hit']).toBe('svc');
    expect(report['miss']).toMatchObject({ code: 'NOT_FOUND', fix: { action: 'relink', provider: 'tiny' } });
  });

  it('validates link manifests with the shipped schema from ESM and CommonJS', () => {
    expect(report).toMatchObject({ manifestNames: ['a'], manifestBad: ['links.a.provider'], schemaId: 'urn:vaultlink:links-manifest:v1' });
  });

  it('runs the testkit groups against it, all passing', () => {
    const results = report['results'] as Array<[string, string]>;
    expect(results.length).toBeGreaterThan(8);
    expect(
      results.filter(([, outcome]) => outcome !== 'passed'),
      JSON.stringify(results),
    ).toEqual([]);
  });
});
