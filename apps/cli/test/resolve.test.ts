/** `vaultlink resolve`: all references replaced, or exit 4 with every unresolved name and nothing on stdout. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from './helpers/sandbox.js';

describe('vaultlink resolve', () => {
  let sandbox: Sandbox;
  const local = uniqueValue('local');
  const quoted = `${uniqueValue('quoted')}"\\ end`;
  const linked = uniqueValue('linked');
  beforeAll(async () => {
    sandbox = await createSandbox({ documents: { 'app/db': { versions: [{ password: linked }] } } });
    await sandbox.run(['set', 'local', '--stdin', '--domain', 'api.example.com'], { input: local });
    await sandbox.run(['set', 'quoted', '--stdin'], { input: quoted });
    await sandbox.run(['link', 'db', '--provider', 'memory', '--path', 'app/db', '--key', 'password']);
    await sandbox.run(['connect', 'memory']);
  });
  afterAll(() => sandbox.cleanup());

  it('replaces every reference in a file, leaving other {{variables}} alone', async () => {
    const file = join(sandbox.cwd, 'request.txt');
    await writeFile(file, 'GET https://api.example.com/?k={{vault:local}}&db={{vault:db}} {{host}} {{vault:local}}\n');
    const result = await sandbox.run(['resolve', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`GET https://api.example.com/?k=${local}&db=${linked} {{host}} ${local}\n`);
  });

  it('takes --concurrency (upstream requests per provider), refusing a value that is not a whole number from 1', async () => {
    expect((await sandbox.run(['resolve', '-', '--concurrency', '2'], { input: 'x={{vault:db}}' })).stdout).toBe(`x=${linked}`);
    const bad = await sandbox.run(['--json', 'resolve', '-', '--concurrency', '0'], { input: 'x={{vault:db}}' });
    expect(bad.code).toBe(2);
    expect(jsonError(bad)).toMatchObject({ code: 'INVALID_INPUT', issues: [{ field: '--concurrency' }] });
  });

  it('reads stdin with - or no argument', async () => {
    expect((await sandbox.run(['resolve', '-'], { input: 'x={{vault:db}}' })).stdout).toBe(`x=${linked}`);
    expect((await sandbox.run(['resolve'], { input: 'x={{vault:db}}' })).stdout).toBe(`x=${linked}`);
  });

  it('escapes values for JSON in *.json files so the output stays valid JSON; --escape none inserts raw', async () => {
    const file = join(sandbox.cwd, 'body.json');
    await writeFile(file, '{"token": "{{vault:quoted}}", "n": 1}\n');
    const result = await sandbox.run(['resolve', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ token: quoted, n: 1 });
    const raw = await sandbox.run(['resolve', file, '--escape', 'none']);
    expect(raw.stdout).toBe(`{"token": "${quoted}", "n": 1}\n`);
  });

  it('--url leaves secrets whose allowed domains do not match unresolved (exit 4)', async () => {
    const ok = await sandbox.run(['resolve', '-', '--url', 'https://api.example.com:8443/v1'], { input: '{{vault:local}}' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(local);
    const denied = await sandbox.run(['--json', 'resolve', '-', '--url', 'https://evil.example.net/'], {
      input: '{{vault:local}} {{vault:db}}',
    });
    expect(denied.code).toBe(4);
    expect(denied.stdout).toBe('');
    expect(jsonError(denied).details?.unresolved).toEqual([expect.objectContaining({ name: 'local', reason: 'domain-not-allowed' })]);
  });

  it('fails with exit 4 listing every unresolved name and reason, and writes nothing to stdout', async () => {
    await sandbox.run(['set', 'off', '--stdin'], { input: 'x' });
    await sandbox.run(['disable', 'off']);
    const result = await sandbox.run(['resolve', '-'], { input: 'a={{vault:local}} b={{vault:missing}} c={{vault:off}}' });
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('UNRESOLVED');
    expect(result.stderr).toMatch(/missing: missing/);
    expect(result.stderr).toMatch(/off: disabled/);
    expect(result.stderr).not.toMatch(/local:/);
    expect(result.stderr).not.toContain(local);
  });

  it('a malformed reference is INVALID_REFERENCE (exit 2) with its position', async () => {
    const result = await sandbox.run(['--json', 'resolve', '-'], { input: 'line one\nbad {{vault:open here' });
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.issues?.[0]?.field).toContain('line 2');
  });

  it('a missing file is exit 4 and stdout stays empty', async () => {
    const result = await sandbox.run(['resolve', join(sandbox.cwd, 'nope.txt')]);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
  });
});
