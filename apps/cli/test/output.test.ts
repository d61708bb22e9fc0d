/** Output contract: stdout is data, stderr is messages; --json; NO_COLOR; usage errors; exit codes 0/1/2/4. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonError, useSandbox } from './helpers/sandbox.js';

// eslint-disable-next-line no-control-regex -- ESC starts every ANSI colour code
const ANSI = /\u001b\[\d+(;\d+)*m/;

describe('output and exit codes', () => {
  const sandbox = useSandbox();

  it('--help prints usage on stdout with the command list and the exit codes (exit 0)', async () => {
    const result = await sandbox.run(['--help']);
    expect(result.code).toBe(0);
    for (const command of [
      'init',
      'set',
      'link',
      'list',
      'show',
      'get',
      'rm',
      'rename',
      'disable',
      'enable',
      'domains',
      'connect',
      'reauth',
      'disconnect',
      'logout',
      'integrations',
      'setup',
      'config',
      'cache',
      'resolve',
      'run',
      'import',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(result.stdout).toContain('Exit codes');
  });

  it('--version prints the package version', async () => {
    const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;
    const result = await sandbox.run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it.each([[['frobnicate']], [['get']], [['list', '--bogus']], [['config', 'set', 'expiry']], [[]]])(
    'usage error %j exits 2 with the message on stderr and nothing on stdout',
    async (args) => {
      const result = await sandbox.run(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.length).toBeGreaterThan(0);
    },
  );

  it('with --json a usage error is a JSON object on stderr', async () => {
    const result = await sandbox.run(['--json', 'frobnicate']);
    expect(result.code).toBe(2);
    expect(jsonError(result)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('frobnicate') });
  });

  it('changes report on stderr only; stdout carries data only', async () => {
    const set = await sandbox.run(['set', 'a', '--stdin'], { input: 'value-a' });
    expect(set.stdout).toBe('');
    expect(set.stderr).toContain('Stored');
    const list = await sandbox.run(['list']);
    expect(list.stderr).toBe('');
    expect(list.stdout).toContain('a');
    const json = await sandbox.run(['set', 'b', '--stdin', '--json'], { input: 'value-b' });
    expect(JSON.parse(json.stdout)).toEqual({ name: 'b', kind: 'local' });
  });

  it('errors name the fix on a Fix: line', async () => {
    const result = await sandbox.run(['get', 'missing-name']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^error \[[A-Z_]+\]/);
    expect(result.stderr).toMatch(/^Fix: /m);
  });

  it('colours stderr only when asked (FORCE_COLOR), and NO_COLOR or --no-color always turns them off', async () => {
    const forced = await sandbox.run(['get', 'missing-name'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toMatch(ANSI);
    const noColor = await sandbox.run(['get', 'missing-name'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stderr).not.toMatch(ANSI);
    const flag = await sandbox.run(['get', 'missing-name', '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(flag.stderr).not.toMatch(ANSI);
    const plain = await sandbox.run(['get', 'missing-name']);
    expect(plain.stderr).not.toMatch(ANSI); // stderr is a pipe here, not a TTY
  });

  it('no spinner output when stderr is not a TTY', async () => {
    await sandbox.run(['set', 'c', '--stdin'], { input: 'value-c' });
    const result = await sandbox.run(['get', 'c']);
    expect(result.stderr).toBe('');
  });

  it('a vault that does not exist yet is VAULT_NOT_INITIALIZED (exit 4) naming `vaultlink init`', async () => {
    const result = await sandbox.run(['--json', 'list'], { env: { VAULTLINK_HOME: join(sandbox.root, 'empty-home') } });
    expect(result.code).toBe(4);
    const error = jsonError(result);
    expect(error.code).toBe('VAULT_NOT_INITIALIZED');
    expect(error.fix).toContain('vaultlink init');
  });

  it('a tampered vault file is VAULT_CORRUPT (exit 1) and is not overwritten', async () => {
    const file = join(sandbox.home, 'vault.enc');
    const bytes = readFileSync(file);
    bytes[bytes.length - 5]! ^= 0x01;
    writeFileSync(file, bytes);
    const result = await sandbox.run(['--json', 'set', 'd', '--stdin'], { input: 'value-d' });
    expect(result.code).toBe(1);
    expect(jsonError(result).code).toBe('VAULT_CORRUPT');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});
