import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalProviderId, knownProvidersText, loadProvider, providerPackageName, type VaultError } from '../src/index.js';
import { readLinks } from '../src/provider.js';
import { assertValidProvider } from '../src/providers/loader.js';
import { createMemoryProvider } from '../src/testing.js';

let dir: string;

/** A fake installed package in `<dir>/node_modules/<name>`. */
async function fakePackage(name: string, files: Record<string, string>, pkg: Record<string, unknown>): Promise<void> {
  const root = join(dir, 'node_modules', ...name.split('/'));
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...pkg }));
  for (const [file, text] of Object.entries(files)) await writeFile(join(root, file), text);
}

const providerSource = (id: string, contractVersion = 2) => `
const provider = {
  contractVersion: ${contractVersion}, id: ${JSON.stringify(id)}, displayName: 'Fake', capabilities: { versions: false, adminManagedSetup: false, concurrency: 4 },
  flags: { link: [{ name: 'x', description: 'x', type: 'string' }], connect: [] },
  parseLink: (f) => f, documentKey: () => 'k', summarize: () => ({ identifier: 'x' }),
  authenticate: async () => ({}), readDocument: async () => ({}), select: () => ({ value: 'v' }), describe: async () => ({}),
};`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vaultlink-loader-'));
  // ESM with an exports map: the `import` condition must win over `require`.
  await fakePackage(
    '@vault/provider-aws',
    { 'index.mjs': `${providerSource('aws')}\nexport default provider;`, 'index.cjs': 'throw new Error("CJS build loaded")' },
    {
      type: 'module',
      exports: { '.': { import: './index.mjs', require: './index.cjs' } },
    },
  );
  // A factory as default export.
  await fakePackage(
    'vaultlink-provider-factory',
    { 'index.js': `${providerSource('factory')}\nexport default ({ env }) => ({ ...provider, displayName: env.FAKE_NAME });` },
    { type: 'module', main: 'index.js' },
  );
  // CommonJS module.exports = { provider }.
  await fakePackage(
    'vaultlink-provider-cjs',
    { 'index.js': `${providerSource('cjs')}\nmodule.exports = { provider };` },
    { main: 'index.js' },
  );
  // Wrong shape.
  await fakePackage(
    'vaultlink-provider-broken',
    { 'index.js': 'export default { contractVersion: 2, id: "broken" };' },
    { type: 'module', main: 'index.js' },
  );
  // Built for contract v1 (it has fetch, no readDocument/select).
  await fakePackage(
    'vaultlink-provider-old',
    { 'index.js': `${providerSource('old', 1)}\nexport default provider;` },
    { type: 'module', main: 'index.js' },
  );
  // Throws on import.
  await fakePackage('vaultlink-provider-crash', { 'index.js': 'throw new Error("boom at import");' }, { type: 'module', main: 'index.js' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadProvider', () => {
  it('maps ids to packages', () => {
    expect(providerPackageName('aws')).toBe('@vault/provider-aws');
    expect(providerPackageName('azure')).toBe('@vault/provider-azure');
    expect(providerPackageName('hashicorp')).toBe('@vault/provider-hashicorp');
    expect(providerPackageName('onepassword')).toBe('vaultlink-provider-onepassword');
    expect(providerPackageName('@acme/vault-thing')).toBe('@acme/vault-thing');
  });

  it('has `memory` built in, serving the demo dataset by default', async () => {
    const memory = await loadProvider('memory', { env: {} });
    expect(memory.id).toBe('memory');
    const session = (memory as ReturnType<typeof createMemoryProvider>).createSession();
    const [result] = await readLinks(memory, [memory.parseLink({ path: 'demo/payments', key: 'api_key' })], session);
    expect(result?.ok).toBe(true);
  });

  it('loads the ESM build of a package from resolveFrom', async () => {
    const aws = await loadProvider('aws', { resolveFrom: ['/nonexistent', dir] });
    expect(aws.id).toBe('aws');
  });

  it('calls a factory export with the environment', async () => {
    const provider = await loadProvider('factory', { resolveFrom: [dir], env: { FAKE_NAME: 'From env' } });
    expect(provider.displayName).toBe('From env');
  });

  it('unwraps CommonJS exports', async () => {
    expect((await loadProvider('cjs', { resolveFrom: [dir] })).id).toBe('cjs');
  });

  it('fails with PROVIDER_NOT_INSTALLED and the install command when the package is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'vaultlink-empty-'));
    const error = (await loadProvider('aws', { resolveFrom: [empty] }).catch((e: unknown) => e)) as VaultError;
    await rm(empty, { recursive: true });
    expect(error.code).toBe('PROVIDER_NOT_INSTALLED');
    expect(error.fix).toEqual({ action: 'install', package: '@vault/provider-aws' });
  });

  it('an unknown id gets the known providers and how third-party ones are named, never an install command for a guessed package', async () => {
    const other = (await loadProvider('nothere', { resolveFrom: [dir] }).catch((e: unknown) => e)) as VaultError;
    expect(other.code).toBe('PROVIDER_NOT_INSTALLED');
    expect(knownProvidersText()).toBe('memory, aws, azure, hashicorp (also: vault, openbao)');
    expect(other.message).toContain('memory, aws, azure, hashicorp (also: vault, openbao)');
    // No action fits "pick another id": the fix is free text, and it installs nothing.
    expect(other.fix).toMatchObject({ action: 'manual' });
    const text = other.fix?.action === 'manual' ? other.fix.text : '';
    expect(text).toContain('vaultlink-provider-<id>');
    expect(`${other.message}\n${text}`).not.toMatch(/npm i(nstall)? |pnpm add /);
    expect(other.issues).toEqual([expect.objectContaining({ field: 'provider' })]);
  });

  it('vault and openbao are aliases of hashicorp', async () => {
    expect(canonicalProviderId('vault')).toBe('hashicorp');
    expect(canonicalProviderId('openbao')).toBe('hashicorp');
    expect(canonicalProviderId('aws')).toBe('aws');
    const empty = await mkdtemp(join(tmpdir(), 'vaultlink-empty-'));
    const error = (await loadProvider('openbao', { resolveFrom: [empty] }).catch((e: unknown) => e)) as VaultError;
    await rm(empty, { recursive: true });
    expect(error.fix).toEqual({ action: 'install', package: '@vault/provider-hashicorp' });
  });

  it('fails with PROVIDER_INVALID listing what is wrong with the export', async () => {
    const error = (await loadProvider('broken', { resolveFrom: [dir] }).catch((e: unknown) => e)) as VaultError;
    expect(error.code).toBe('PROVIDER_INVALID');
    expect(error.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining(['displayName', 'capabilities', 'flags', 'parseLink', 'readDocument', 'select']),
    );
    const crash = (await loadProvider('crash', { resolveFrom: [dir] }).catch((e: unknown) => e)) as VaultError;
    expect(crash.code).toBe('PROVIDER_INVALID');
    expect(crash.message).toContain('boom at import');
  });

  it('rejects ids that are not ids', async () => {
    await expect(loadProvider('../etc', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses a provider built for contract v1, naming the contract version it needs', async () => {
    const error = (await loadProvider('old', { resolveFrom: [dir] }).catch((e: unknown) => e)) as VaultError;
    expect(error.code).toBe('PROVIDER_INVALID');
    expect(error.message).toContain('built for provider contract v1; this vaultlink needs contract v2');
    expect(error.details).toMatchObject({ contractVersion: 1, requiredContractVersion: 2 });
    expect(error.issues.map((i) => i.field)).toContain('contractVersion');
    expect(error.fix).toMatchObject({ action: 'install', package: 'vaultlink-provider-old' });
  });

  it('accepts the memory provider, and refuses an id other than the one it was loaded by', () => {
    expect(assertValidProvider(createMemoryProvider(), 'memory', 'memory').id).toBe('memory');
    expect(() => assertValidProvider(createMemoryProvider(), 'vaultlink-provider-other', 'other')).toThrow(
      expect.objectContaining({ code: 'PROVIDER_INVALID' }),
    );
  });
});
