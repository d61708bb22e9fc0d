/**
 * `vaultlink resolve` on hostile and unusual input (issue 12 items 7, 10, 11, 12; issue 11 item 5):
 * bytes pass through exactly, JSON input stays JSON, input size is bounded, malformed input is
 * handled in linear time, and long error lists are summarised on stderr (full with --json).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, createSandbox, jsonError, uniqueValue, type Sandbox } from './helpers/sandbox.js';

describe('vaultlink resolve: input', () => {
  let sandbox: Sandbox;
  const x = uniqueValue('x');
  const quoted = `${uniqueValue('quoted')} "q" \\ \n end`;
  beforeAll(async () => {
    sandbox = await createSandbox();
    await sandbox.run(['set', 'x', '--stdin'], { input: x });
    await sandbox.run(['set', 'quoted', '--stdin'], { input: `${quoted}\n` });
  });
  afterAll(() => sandbox.cleanup());

  it('keeps a byte that is not UTF-8 next to a reference: A\\xff{{vault:x}}', async () => {
    const input = Buffer.concat([Buffer.from([0x41, 0xff]), Buffer.from('{{vault:x}}')]);
    const result = await sandbox.run(['resolve', '-'], { input });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdoutBytes).toEqual(Buffer.concat([Buffer.from([0x41, 0xff]), Buffer.from(x)]));
  });

  it('passes 200 KB of random bytes through byte-identical, apart from the references (stdin and file)', async () => {
    const pieces = Array.from({ length: 50 }, () => randomBytes(4000).toString('latin1').replaceAll('{', '(').replaceAll('}', ')'));
    const input = Buffer.from(pieces.join('{{vault:x}}'), 'latin1');
    const expected = Buffer.concat(
      pieces.flatMap((piece, i) => (i === 0 ? [Buffer.from(piece, 'latin1')] : [Buffer.from(x), Buffer.from(piece, 'latin1')])),
    );
    const fromStdin = await sandbox.run(['resolve', '-', '--escape', 'none'], { input });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdoutBytes!.equals(expected)).toBe(true);
    const file = join(sandbox.cwd, 'random.bin');
    await writeFile(file, input);
    const fromFile = await sandbox.run(['resolve', file]);
    expect(fromFile.stdoutBytes!.equals(expected)).toBe(true);
  });

  it('escapes values when stdin is a JSON document, so the output stays valid JSON (no file name needed)', async () => {
    const result = await sandbox.run(['resolve'], { input: '{"token": "{{vault:quoted}}", "list": ["{{vault:x}}"]}\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ token: quoted, list: [x] });
    // A file named .txt holding JSON is JSON too.
    const file = join(sandbox.cwd, 'body.txt');
    await writeFile(file, '[{"a": "{{vault:quoted}}"}]');
    expect(JSON.parse((await sandbox.run(['resolve', file])).stdout)).toEqual([{ a: quoted }]);
  });

  it('inserts values as they are when the input is not JSON, and --escape overrides the detection', async () => {
    const template = await sandbox.run(['resolve', '-'], { input: '{"port": {{vault:x}}}' });
    expect(template.stdout).toBe(`{"port": ${x}}`);
    const raw = await sandbox.run(['resolve', '-', '--escape', 'none'], { input: '{"t": "{{vault:quoted}}"}' });
    expect(raw.stdout).toBe(`{"t": "${quoted}"}`);
  });

  it('refuses stdin larger than 64 MiB with INVALID_INPUT naming the limit, after reading no more than that (a 600 MB stream)', async () => {
    const result = await runWithStream(sandbox, ['--json', 'resolve', '-'], 600 * 1024 * 1024);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stderr.trim().split('\n').pop()!).error as {
      code: string;
      message: string;
      fix?: string;
      details?: { limitBytes?: number };
    };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('larger than 64 MiB');
    expect(error.details?.limitBytes).toBe(64 * 1024 * 1024);
    expect(error.fix).toBeTruthy();
    expect(result.stderr).not.toContain('INTERNAL');
    expect(result.stdout).toBe('');
    // The CLI stopped reading near the limit instead of taking all 600 MB.
    expect(result.bytesAccepted).toBeLessThan(200 * 1024 * 1024);
  }, 60_000);

  it('refuses a file larger than 64 MiB before reading it', async () => {
    const file = join(sandbox.cwd, 'big.txt');
    const { open } = await import('node:fs/promises');
    const handle = await open(file, 'w');
    await handle.truncate(64 * 1024 * 1024 + 1); // sparse: no 64 MiB written to disk
    await handle.close();
    const result = await sandbox.run(['--json', 'resolve', file]);
    expect(result.code).toBe(2);
    expect(jsonError(result)).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: 'FILE', problem: expect.stringContaining('64 MiB') })],
    });
  });

  it('reports 100k malformed lines briefly: 20 entries, a count of the rest, and the way to get them all', async () => {
    const input = '{{vault:m1 \n'.repeat(100_000);
    const text = await sandbox.run(['resolve', '-'], { input });
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('INVALID_REFERENCE');
    expect(text.stderr.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(20);
    expect(text.stderr).toContain('… and 99,980 more (run the command again with --json for the full list)');
    expect(text.stderr).toMatch(/\nFix: /);
    expect(text.stderr.length, 'stderr stays short').toBeLessThan(10_000);
    const json = await sandbox.run(['--json', 'resolve', '-'], { input });
    expect(jsonError(json).issues).toHaveLength(100_000);
  }, 60_000);

  it('summarises 1,000 unresolved names on stderr, and --json lists every one with its fix', async () => {
    const input = Array.from({ length: 1000 }, (_, i) => `{{vault:missing_${i}}}`).join('\n');
    const text = await sandbox.run(['resolve', '-'], { input });
    expect(text.code).toBe(4);
    expect(text.stderr.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(20);
    expect(text.stderr).toContain('… and 980 more (run the command again with --json for the full list)');
    const fixLine = text.stderr.split('\n').find((line) => line.startsWith('Fix: '))!;
    expect(fixLine.length, 'the Fix line names 3 fixes and counts the rest').toBeLessThan(400);
    expect(fixLine.endsWith("and 997 more (--json lists each name's fix)")).toBe(true);
    expect(text.stderr.length, 'stderr stays short').toBeLessThan(10_000);
    const json = jsonError(await sandbox.run(['--json', 'resolve', '-'], { input }));
    expect(json.details?.unresolved).toHaveLength(1000);
    expect((json.details?.unresolved as Array<{ fix?: string }>).every((u) => u.fix?.includes('vaultlink set'))).toBe(true);
  });
});

/** Spawns the CLI and streams `size` bytes into its stdin until it stops reading (EPIPE). */
function runWithStream(
  sandbox: Sandbox,
  args: string[],
  size: number,
): Promise<{ code: number; stdout: string; stderr: string; bytesAccepted: number }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env: sandbox.env, cwd: sandbox.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let written = 0;
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdin.on('error', () => undefined); // EPIPE once the CLI stops reading: expected
    const pump = (): void => {
      while (written < size && !child.stdin.destroyed) {
        written += chunk.length;
        if (!child.stdin.write(chunk)) return void child.stdin.once('drain', pump);
      }
      child.stdin.end();
    };
    pump();
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code: code ?? -1, stdout, stderr, bytesAccepted: written }));
  });
}
