/**
 * `vaultlink set` input (issue 12 items 7, 14): invalid UTF-8 on stdin is refused rather than
 * stored as U+FFFD; an invalid name is refused with a fix (text and --json) before any value is
 * read; stdin is bounded.
 */
import { describe, expect, it } from 'vitest';
import { jsonError, uniqueValue, useSandbox } from './helpers/sandbox.js';

describe('vaultlink set: input', () => {
  const sandbox = useSandbox();

  it('refuses stdin that is not UTF-8, naming the offset and the base64 way, and stores nothing', async () => {
    const input = Buffer.concat([Buffer.from('abc'), Buffer.from([0xff, 0xfe]), Buffer.from('def')]);
    const result = await sandbox.run(['--json', 'set', 'bin', '--stdin'], { input });
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('offset 3');
    expect(error.fix).toBe('store binary data as base64: base64 -w0 FILE | vaultlink set bin --stdin');
    expect((await sandbox.run(['get', 'bin'])).code).toBe(4);
  });

  it('keeps valid UTF-8 byte for byte, a real U+FFFD included', async () => {
    const value = `${uniqueValue('utf8')} é ✓ \u{1F511} \ufffd`;
    expect((await sandbox.run(['set', 'text', '--stdin'], { input: Buffer.from(value, 'utf8') })).code).toBe(0);
    expect((await sandbox.run(['get', 'text'])).stdoutBytes).toEqual(Buffer.from(value, 'utf8'));
  });

  it("refuses an invalid name like 'a{{b' with a Fix line and a fix in --json, before reading the value", async () => {
    const value = uniqueValue('never-read');
    const text = await sandbox.run(['set', 'a{{b', '--stdin'], { input: value });
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('[INVALID_INPUT] Invalid secret name.');
    expect(text.stderr).toMatch(/\nFix: use a name without \{ \} or control characters, such as "a__b"/);
    const json = await sandbox.run(['--json', 'set', 'a{{b', value]);
    expect(jsonError(json)).toMatchObject({ code: 'INVALID_INPUT', fix: expect.stringContaining('"a__b"') });
    // The name is checked first: no shell-history warning about a value that will not be stored.
    expect(json.stderr).not.toContain('shell history');
  });

  it('refuses stdin over 64 MiB with INVALID_INPUT naming the limit', async () => {
    const result = await sandbox.run(['--json', 'set', 'huge', '--stdin'], { input: Buffer.alloc(64 * 1024 * 1024 + 1, 'a') });
    expect(result.code).toBe(2);
    expect(jsonError(result)).toMatchObject({ code: 'INVALID_INPUT', details: { limitBytes: 64 * 1024 * 1024 } });
  }, 60_000);
});
