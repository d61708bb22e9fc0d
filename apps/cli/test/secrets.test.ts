/** Local secrets through the built CLI: init, set, list, show, get, domains, rename, disable/enable, rm. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, jsonError, type Sandbox, uniqueValue, useSandbox } from './helpers/sandbox.js';

describe('vaultlink init', () => {
  const sandbox = useSandbox({ initVault: false });

  it('creates an encrypted vault file with mode 0600 in VAULTLINK_HOME', async () => {
    const result = await sandbox.run(['init']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const file = join(sandbox.home, 'vault.enc');
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('passphrase');
    expect(existsSync(file)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('leaves an existing vault unchanged on a second init', async () => {
    const before = statSync(join(sandbox.home, 'vault.enc')).mtimeMs;
    const result = await sandbox.run(['init']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('already exists');
    expect(statSync(join(sandbox.home, 'vault.enc')).mtimeMs).toBe(before);
  });

  it('refuses a wrong passphrase with BAD_PASSPHRASE (exit 3)', async () => {
    const result = await sandbox.run(['--json', 'list'], { env: { VAULTLINK_PASSPHRASE: 'not-the-passphrase' } });
    expect(result.code).toBe(3);
    expect(jsonError(result).code).toBe('BAD_PASSPHRASE');
  });

  it('fails with VAULT_LOCKED naming VAULTLINK_PASSPHRASE when there is neither the variable nor a terminal (exit 3)', async () => {
    const result = await sandbox.run(['list'], { env: { VAULTLINK_PASSPHRASE: undefined } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('VAULT_LOCKED');
    expect(result.stderr).toContain('VAULTLINK_PASSPHRASE');
  });
});

describe('local secrets', () => {
  let sandbox: Sandbox;
  const apiKey = uniqueValue('api-key');
  const other = uniqueValue('other');
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(() => sandbox.cleanup());

  it('set --stdin stores a value (one trailing newline dropped) and says so on stderr only', async () => {
    const result = await sandbox.run(['set', 'api_key', '--stdin', '--domain', 'api.example.com'], { input: `${apiKey}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('api_key');
    const get = await sandbox.run(['get', 'api_key']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(apiKey); // piped: exactly the value, no newline
  });

  it('set NAME VALUE works but warns that argv lands in shell history', async () => {
    const result = await sandbox.run(['set', 'other', other]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('shell history');
    expect(result.stderr).not.toContain(other);
    expect((await sandbox.run(['get', 'other'])).stdout).toBe(other);
  });

  it('set without a value and without a terminal fails with exit 2 naming --stdin', async () => {
    const result = await sandbox.run(['--json', 'set', 'nothing']);
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(error)).toContain('--stdin');
  });

  it('set rejects an empty value and an invalid name (exit 2)', async () => {
    const empty = await sandbox.run(['set', 'empty', '--stdin'], { input: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty');
    const badName = await sandbox.run(['--json', 'set', 'bad{name}', '--stdin'], { input: 'x' });
    expect(badName.code).toBe(2);
    expect(jsonError(badName).code).toBe('INVALID_INPUT');
  });

  it('list prints names and sources on stdout, never values; --filter narrows; --json parses', async () => {
    const list = await sandbox.run(['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+SOURCE/);
    expect(list.stdout).toContain('api_key');
    expect(list.stdout).toContain('api.example.com');
    expect(list.stdout).not.toContain(apiKey);
    expect(list.stdout).not.toContain(other);

    const filtered = await sandbox.run(['list', '--filter', 'API']);
    expect(filtered.stdout).toContain('api_key');
    expect(filtered.stdout).not.toMatch(/^other\s/m);

    const json = await sandbox.run(['list', '--json']);
    const parsed = JSON.parse(json.stdout) as Array<{ name: string; kind: string; allowedDomains: string[]; state: string }>;
    expect(parsed.map((s) => s.name).sort()).toEqual(['api_key', 'other']);
    expect(parsed.find((s) => s.name === 'api_key')).toMatchObject({
      kind: 'local',
      allowedDomains: ['api.example.com'],
      state: 'enabled',
    });
    expect(json.stdout).not.toContain(apiKey);
  });

  it('show prints the facts of a secret but never its value', async () => {
    const show = await sandbox.run(['show', 'api_key']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('name:');
    expect(show.stdout).toContain('local');
    expect(show.stdout).toContain('api.example.com');
    expect(show.stdout + show.stderr).not.toContain(apiKey);
    const json = JSON.parse((await sandbox.run(['show', 'api_key', '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'api_key', kind: 'local', enabled: true, allowedDomains: ['api.example.com'] });
    expect(JSON.stringify(json)).not.toContain(apiKey);
  });

  it('domains sets, prints and clears the allowed domains, and rejects malformed ones listing each', async () => {
    const set = await sandbox.run(['domains', 'api_key', 'api.example.com', '*.example.org']);
    expect(set.code, set.stderr).toBe(0);
    const printed = await sandbox.run(['domains', 'api_key']);
    expect(printed.stdout.split('\n').filter(Boolean)).toEqual(['api.example.com', '*.example.org']);
    const bad = await sandbox.run(['--json', 'domains', 'api_key', 'https://a.example.com:8443', 'api.example.com/path']);
    expect(bad.code).toBe(2);
    const error = jsonError(bad);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues).toHaveLength(2);
    expect((await sandbox.run(['domains', 'api_key'])).stdout).toContain('*.example.org'); // unchanged by the failed call
    const cleared = await sandbox.run(['domains', 'api_key', '--clear']);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await sandbox.run(['show', 'api_key', '--json'])).stdout).toContain('"allowedDomains": []');
  });

  it('disable keeps the secret but makes it unresolvable (reason disabled); enable restores it', async () => {
    expect((await sandbox.run(['disable', 'other'])).code).toBe(0);
    const get = await sandbox.run(['get', 'other']);
    expect(get.code).toBe(4);
    expect(get.stdout).toBe('');
    expect(get.stderr).toMatch(/disabled/i);
    const list = JSON.parse((await sandbox.run(['list', '--json'])).stdout) as Array<{ name: string; state: string }>;
    expect(list.find((s) => s.name === 'other')?.state).toBe('disabled');
    expect((await sandbox.run(['enable', 'other'])).code).toBe(0);
    expect((await sandbox.run(['get', 'other'])).stdout).toBe(other);
  });

  it('rename moves the secret; the old name is gone (exit 4)', async () => {
    const renamed = await sandbox.run(['rename', 'other', 'renamed']);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect((await sandbox.run(['get', 'renamed'])).stdout).toBe(other);
    const old = await sandbox.run(['--json', 'get', 'other']);
    expect(old.code).toBe(4);
  });

  it('rm deletes the secret (exit 4 afterwards, and rm of a missing name is exit 4)', async () => {
    expect((await sandbox.run(['rm', 'renamed'])).code).toBe(0);
    expect((await sandbox.run(['get', 'renamed'])).code).toBe(4);
    const again = await sandbox.run(['--json', 'rm', 'renamed']);
    expect(again.code).toBe(4);
    expect(jsonError(again).code).toBe('NOT_FOUND');
  });
});

describe('config and cache', () => {
  const sandbox = useSandbox();

  it('config get shows the default expiry of 60 minutes; config set expiry changes it', async () => {
    expect(JSON.parse((await sandbox.run(['config', 'get', '--json'])).stdout)).toEqual({ expiry: 60 });
    const set = await sandbox.run(['config', 'set', 'expiry', '15']);
    expect(set.code, set.stderr).toBe(0);
    expect((await sandbox.run(['config', 'get'])).stdout).toContain('15 minutes');
    expect((await sandbox.run(['config', 'set', 'expiry', '0'])).code).toBe(0);
    expect(JSON.parse((await sandbox.run(['config', 'get', '--json'])).stdout)).toEqual({ expiry: 0 });
  });

  it.each([['-5'], ['1.5'], ['ten'], ['']])('config set expiry %j fails with exit 2 naming the expected form', async (value) => {
    const result = await sandbox.run(['--json', 'config', 'set', 'expiry', value]);
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues?.[0]).toMatchObject({ field: 'MINUTES', expected: expect.stringContaining('whole number of minutes') });
  });

  it('config set of an unknown key fails with exit 2', async () => {
    const result = await sandbox.run(['config', 'set', 'colour', 'blue']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expiry');
  });

  it('cache reset succeeds for all and for a known name, says that without an agent the command had its own cache, and rejects unknown names (exit 4)', async () => {
    await sandbox.run(['set', 'cached', '--stdin'], { input: 'x1' });
    const all = await sandbox.run(['cache', 'reset']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toContain('no vaultlink agent serves this vault');
    expect((await sandbox.run(['cache', 'reset', 'cached'])).code).toBe(0);
    const missing = await sandbox.run(['--json', 'cache', 'reset', 'nope']);
    expect(missing.code).toBe(4);
    expect(jsonError(missing).code).toBe('NOT_FOUND');
  });
});
