/**
 * `vaultlink import postman-environment`: secret-type variables (or --keys) move into the
 * local vault, the file gets {{vault:NAME}} references, and no value is ever lost: the
 * vault is written first, the file last and atomically.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultError } from '@vault/core';
import { importCommand, importPostmanEnvironment, run } from '../src/index.js';
import { captureMessages, collection } from './helpers/collections.js';
import { captureStream } from './helpers/capture-stream.js';
import { startRecordingServer } from './helpers/recording-server.js';
import { createTestVault, type TestVault } from './helpers/test-vault.js';

const API_KEY = 'import-api-key-0a1b2c';
const PASSWORD = 'import-password-3d4e5f';

function postmanEnvironment() {
  return {
    id: '5e0f6a1c-0000-4000-8000-000000000001',
    name: 'Staging',
    values: [
      { key: 'baseUrl', value: 'https://staging.example.com', type: 'default', enabled: true },
      { key: 'apiKey', value: API_KEY, type: 'secret', enabled: true },
      { key: 'password', value: PASSWORD, type: 'secret', enabled: true },
      { key: 'user', value: 'alice', type: 'default', enabled: true },
    ],
    _postman_variable_scope: 'environment',
    _postman_exported_at: '2026-11-27T10:00:00.000Z',
    _postman_exported_using: 'Postman/11.0.0',
  };
}

describe('import postman-environment', () => {
  let testVault: TestVault;
  let file: string;

  beforeEach(async () => {
    testVault = await createTestVault({ 'team/api': 'linked-value' });
    file = join(testVault.home, 'staging.postman_environment.json');
    await writeFile(file, JSON.stringify(postmanEnvironment(), null, '\t'));
  });

  afterEach(async () => {
    await testVault.cleanup();
  });

  const command = async (args: string[]) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await importCommand(['postman-environment', file, ...args], {
      env: testVault.env,
      stdout,
      stderr,
      openVault: async () => testVault.vault,
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };

  it('round trip: secrets move into the vault, the file references them, and a run resolves them', async () => {
    const { code, stdout } = await command([]);
    expect(code).toBe(0);
    expect(stdout).toContain('Moved 2 variables into the local vault: apiKey, password');

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain('\t"values"'); // Postman's tab indentation kept
    const rewritten = JSON.parse(text);
    expect(rewritten.values).toEqual([
      { key: 'baseUrl', value: 'https://staging.example.com', type: 'default', enabled: true },
      { key: 'apiKey', value: '{{vault:apiKey}}', type: 'secret', enabled: true },
      { key: 'password', value: '{{vault:password}}', type: 'secret', enabled: true },
      { key: 'user', value: 'alice', type: 'default', enabled: true },
    ]);
    expect(rewritten.name).toBe('Staging');
    const reopened = await testVault.reopen();
    expect(await reopened.get('apiKey')).toBe(API_KEY);
    expect(await reopened.get('password')).toBe(PASSWORD);
    expect(await readdir(testVault.home)).not.toContainEqual(expect.stringMatching(/\.tmp$/));

    // The rewritten environment runs as before: nested {{apiKey}} → {{vault:apiKey}} → value.
    const server = await startRecordingServer('127.0.0.1');
    try {
      const summary = await run({
        collection: collection([
          { name: 'use env', request: { url: `${server.origin}/env`, header: [{ key: 'X-Api-Key', value: '{{apiKey}}' }] } },
        ]),
        environment: file,
        vault: reopened,
        env: testVault.env,
        messages: captureMessages().messages,
      });
      expect(summary.vaultlink.exitCode).toBe(0);
      expect(server.requests[0]?.headers['x-api-key']).toBe(API_KEY);
    } finally {
      await server.close();
    }
  });

  it('--keys and --prefix pick the variables and name the secrets', async () => {
    const { code, stdout } = await command(['--keys', 'user,apiKey', '--prefix', 'staging_']);
    expect(code).toBe(0);
    expect(stdout).toContain('user → staging_user, apiKey → staging_apiKey');
    const values = JSON.parse(await readFile(file, 'utf8')).values;
    expect(values.map((variable: { value: string }) => variable.value)).toEqual([
      'https://staging.example.com',
      '{{vault:staging_apiKey}}',
      PASSWORD,
      '{{vault:staging_user}}',
    ]);
    expect(await testVault.vault.get('staging_user')).toBe('alice');
  });

  it('a failure between the vault write and the file write loses nothing, and a re-run finishes', async () => {
    const before = await readFile(file, 'utf8');
    await expect(
      importPostmanEnvironment({
        file,
        vault: testVault.vault,
        writeFile: async () => {
          throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        },
      }),
    ).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('it is unchanged and still holds the values') });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await testVault.vault.get('apiKey')).toBe(API_KEY);

    const { code } = await command([]);
    expect(code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).values[1].value).toBe('{{vault:apiKey}}');
  });

  it('refuses, before writing anything, to overwrite a different local secret or any linked one', async () => {
    await testVault.vault.setLocal('apiKey', 'older-different-value');
    await testVault.vault.link('password', 'memory', { path: 'team/api' });
    const before = await readFile(file, 'utf8');
    const { code, stderr } = await command([]);
    expect(code).toBe(2);
    expect(stderr).toContain('a local secret "apiKey" already exists with a different value');
    expect(stderr).toContain('"password" is linked to an external vault (memory)');
    expect(stderr).not.toContain(API_KEY);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await testVault.vault.get('apiKey')).toBe('older-different-value');
  });

  it("exits with the host's codes (exitCodeFor), also for bad usage; alone, 2 for bad usage or input and 1 for the rest", async () => {
    const asked: string[] = [];
    const hosted = (argv: string[]) =>
      importCommand(argv, {
        env: testVault.env,
        stdout: captureStream(),
        stderr: captureStream(),
        openVault: async () => testVault.vault,
        exitCodeFor: (error) => {
          asked.push(error.code);
          return error.code === 'INVALID_INPUT' ? 12 : 13;
        },
      });
    expect(await hosted(['postman-environment'])).toBe(12); // commander: missing argument
    expect(await hosted([])).toBe(12); // no command
    expect(await hosted(['postman-environment', file, '--keys', 'nope'])).toBe(12);
    expect(asked).toEqual(['INVALID_INPUT', 'INVALID_INPUT', 'INVALID_INPUT']);

    const alone = (argv: string[]) =>
      importCommand(argv, { env: testVault.env, stdout: captureStream(), stderr: captureStream(), openVault: async () => testVault.vault });
    expect(await alone(['postman-environment'])).toBe(2);
    expect(await alone([])).toBe(2);
    const locked = await importCommand(['postman-environment', file], {
      env: testVault.env,
      stdout: captureStream(),
      stderr: captureStream(),
      openVault: async () => {
        throw new VaultError('VAULT_LOCKED', 'The vault is locked by another process.', { fix: { action: 'retry' } });
      },
    });
    expect(locked).toBe(1);
  });

  it("prints an error with the host's fix renderer, or hands it to the host's printer", async () => {
    const stderr = captureStream();
    const rendered = await importCommand(['postman-environment', file], {
      env: testVault.env,
      stdout: captureStream(),
      stderr,
      openVault: async () => {
        throw new VaultError('VAULT_NOT_INITIALIZED', 'No vault here.', { fix: { action: 'retry', hint: 'after init' } });
      },
      renderFix: (fix) => `<${fix.action}>`,
    });
    expect(rendered).toBe(1);
    expect(stderr.text()).toBe('error [VAULT_NOT_INITIALIZED] No vault here.\nFix: <retry>\n');

    await testVault.vault.link('password', 'memory', { path: 'team/api' });

    const printed: VaultError[] = [];
    const quiet = captureStream();
    await importCommand(['postman-environment', file], {
      env: testVault.env,
      stdout: captureStream(),
      stderr: quiet,
      openVault: async () => testVault.vault,
      printError: (error) => printed.push(error),
    });
    expect(printed.map((error) => error.code)).toEqual(['INVALID_INPUT']);
    expect(quiet.text()).not.toContain('[INVALID_INPUT]');
  });

  it('reports unknown --keys and files that are not environments', async () => {
    const unknown = await command(['--keys', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"nope" is not a variable of the environment');
    await writeFile(file, '{"info":{}}');
    const notEnvironment = await command([]);
    expect(notEnvironment.code).toBe(2);
    expect(notEnvironment.stderr).toContain('is not a Postman environment');
  });
});
