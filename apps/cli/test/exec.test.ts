/**
 * `vaultlink exec` through the built CLI: exit codes and signals pass through, output is masked
 * (values written one byte at a time included), an unresolved reference keeps the program from
 * starting, no shell is involved, and vaultlink's own environment and argv never hold a value.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from './helpers/leaks.js';
import { startExec } from './helpers/exec-process.js';
import { CLI_BIN, createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';

const values = { api: uniqueValue('exec-api'), db: uniqueValue('exec-db'), linked: uniqueValue('exec-linked') };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const node = (code: string) => [process.execPath, '-e', code];

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox({ documents: { 'team/app': { versions: [{ token: values.linked }] } } });
  ok(await sandbox.run(['set', 'api', '--stdin'], { input: values.api }));
  ok(await sandbox.run(['set', 'db', '--stdin'], { input: values.db }));
  ok(await sandbox.run(['connect', 'memory']));
  ok(await sandbox.run(['link', 'linked', '--provider', 'memory', '--path', 'team/app', '--key', 'token']));
});
afterAll(() => sandbox.cleanup());

describe('vaultlink exec', () => {
  it('passes the child its variables and its exit code back', async () => {
    const result = await sandbox.run([
      'exec',
      '--env',
      'API_KEY=api',
      '-e',
      'LINKED=linked',
      '--',
      ...node(
        'process.stdout.write(require("crypto").createHash("sha256").update(process.env.API_KEY + "|" + process.env.LINKED).digest("hex")); process.exit(7)',
      ),
    ]);
    expect(result.code, result.stderr).toBe(7);
    expect(result.stdout).toBe(sha(`${values.api}|${values.linked}`));
  });

  it('masks values in stdout and stderr, also when the child writes them one byte at a time', async () => {
    const code =
      'const fs = require("fs"); for (const fd of [1, 2]) { for (const c of Buffer.from("v=" + process.env.API_KEY + ";" + process.env.DB + "\\n")) fs.writeSync(fd, Buffer.from([c])); }';
    const result = ok(await sandbox.run(['exec', '--env', 'API_KEY=api', '--env', 'DB=db', '--', ...node(code)]));
    expect(result.stdout).toBe('v=********;********\n');
    expect(result.stderr).toBe('v=********;********\n');
    const plain = ok(
      await sandbox.run(['exec', '--no-masking', '--env', 'API_KEY=api', '--', ...node('process.stdout.write(process.env.API_KEY)')]),
    );
    expect(plain.stdout).toBe(values.api);
  });

  it('names secrets too short to mask inside words (core masks them as whole words only), never their values', async () => {
    ok(await sandbox.run(['set', 'pin', '--stdin'], { input: 'q7z' }));
    const result = ok(
      await sandbox.run([
        'exec',
        '--env',
        'PIN=pin',
        '--env',
        'API_KEY=api',
        '--',
        ...node('console.log("pin " + process.env.PIN + " inside xq7zx; key " + process.env.API_KEY)'),
      ]),
    );
    expect(result.stdout).toBe('pin ******** inside xq7zx; key ********\n');
    expect(result.stderr).toContain(
      "pin: shorter than 6 characters, so masked in the program's output only where it stands as a whole word.",
    );
    expect(result.stderr).not.toContain('q7z');
    expect(ok(await sandbox.run(['exec', '--no-masking', '--env', 'PIN=pin', '--', 'true'])).stderr).toBe('');
  });

  it('--no-masking passes binary output through byte for byte', async () => {
    const result = ok(
      await sandbox.run([
        'exec',
        '--no-masking',
        '--env',
        'API_KEY=api',
        '--',
        ...node('process.stdout.write(Buffer.from(Array.from({ length: 256 }, (_, i) => i)))'),
      ]),
    );
    expect(result.stdoutBytes).toEqual(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  });

  it('with masking on, output is read as UTF-8: valid text passes, bytes that are not UTF-8 become U+FFFD', async () => {
    const result = ok(
      await sandbox.run([
        'exec',
        '--env',
        'API_KEY=api',
        '--',
        ...node('process.stdout.write(Buffer.from([0x41, 0xff, 0xfe, 0x00, 0x42, 0xc3, 0xa9, 0x0a]))'),
      ]),
    );
    expect(result.stdoutBytes).toEqual(Buffer.from([0x41, 0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd, 0x00, 0x42, 0xc3, 0xa9, 0x0a]));
  });

  it('an unresolved reference keeps the child from starting: exit 4, every reason on stderr', async () => {
    const marker = join(sandbox.root, 'should-not-exist');
    const result = await sandbox.run([
      'exec',
      '--env',
      'A=api',
      '--env',
      'B=missing_one',
      '--env',
      'C=missing_two',
      '--',
      ...node(`require("fs").writeFileSync(${JSON.stringify(marker)}, "ran")`),
    ]);
    expect(result.code).toBe(4);
    expect(existsSync(marker)).toBe(false);
    expect(result.stderr).toContain('2 reference(s) could not be resolved');
    expect(result.stderr).toContain('was not started');
    expect(result.stderr).toMatch(/missing_one: missing/);
    expect(result.stderr).toMatch(/missing_two: missing/);
    expect(result.stderr + result.stdout).not.toContain(values.api);
  });

  it('--env-file: references inside values are filled, other lines pass through as dotenv parses them', async () => {
    const file = join(sandbox.root, '.env.vault');
    await writeFile(
      file,
      [
        '# team env',
        'API_KEY={{vault:api}}',
        'DB_URL="postgres://app:{{vault:db}}@db.internal:5432/app"',
        'MODE=staging # comment',
        'export REGION=eu-west-1',
        "LITERAL='{{not-a-ref}}'",
      ].join('\n'),
    );
    const code =
      'const e = process.env; const h = (s) => require("crypto").createHash("sha256").update(s).digest("hex"); console.log(JSON.stringify({ api: h(e.API_KEY), url: h(e.DB_URL), mode: e.MODE, region: e.REGION, literal: e.LITERAL }))';
    const result = ok(await sandbox.run(['exec', '--env-file', file, '--', ...node(code)]));
    expect(JSON.parse(result.stdout)).toEqual({
      api: sha(values.api),
      url: sha(`postgres://app:${values.db}@db.internal:5432/app`),
      mode: 'staging',
      region: 'eu-west-1',
      literal: '{{not-a-ref}}',
    });
    await writeFile(file, 'BROKEN={{vault:unclosed\n');
    const broken = await sandbox.run(['--json', 'exec', '--env-file', file, '--', 'true']);
    expect(broken.code).toBe(2);
    expect(JSON.parse(broken.stderr.trim().split('\n').pop()!).error).toMatchObject({
      code: 'INVALID_REFERENCE',
      issues: [expect.objectContaining({ field: expect.stringContaining('BROKEN') })],
    });
    const bad = await sandbox.run(['--json', 'exec', '--env', '1BAD=api', '--env', 'OK', '--', 'true']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr.trim().split('\n').pop()!).error.issues.map((i: { field: string }) => i.field)).toEqual([
      '--env 1BAD=api',
      '--env OK',
    ]);
  });

  it('involves no shell: arguments reach the program as given', async () => {
    const result = ok(
      await sandbox.run([
        'exec',
        '--no-masking',
        '--env',
        'API_KEY=api',
        '--',
        ...node('console.log(JSON.stringify(process.argv.slice(1)))'),
        '$API_KEY',
        '`id`',
        '*',
        'a b',
      ]),
    );
    expect(JSON.parse(result.stdout)).toEqual(['$API_KEY', '`id`', '*', 'a b']);
    const missing = await sandbox.run(['exec', '--', 'no-such-program-vaultlink-test']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('Command not found: no-such-program-vaultlink-test');
  });

  it('forwards SIGTERM and SIGINT to a sleeping child and passes on how it ended', async () => {
    const ready = join(sandbox.root, 'ready-term');
    const handled = `require("fs").writeFileSync(${JSON.stringify(ready)}, "x"); process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(42); }); setInterval(() => {}, 1000);`;
    const first = await startExec(sandbox, ['exec', '--env', 'API_KEY=api', '--', ...node(handled)], ready);
    process.kill(first.pid, 'SIGTERM');
    const firstResult = await first.done;
    expect(firstResult.code).toBe(42);
    expect(firstResult.stdout).toBe('child got SIGTERM\n');

    const readyInt = join(sandbox.root, 'ready-int');
    const sleeper = `require("fs").writeFileSync(${JSON.stringify(readyInt)}, "x"); setInterval(() => {}, 1000);`;
    const second = await startExec(sandbox, ['exec', '--env', 'API_KEY=api', '--', ...node(sleeper)], readyInt);
    process.kill(second.pid, 'SIGINT');
    expect((await second.done).code).toBe(130); // 128 + SIGINT: the child died of the forwarded signal
  });

  it('when the reader of its output goes away (| head), the child sees a broken pipe and its exit code comes back', async () => {
    const writer =
      'process.stdout.on("error", () => process.exit(3)); setInterval(() => process.stdout.write("line of output\\n".repeat(50)), 5);';
    const child = spawn(process.execPath, [CLI_BIN, 'exec', '--env', 'API_KEY=api', '--', ...node(writer)], {
      cwd: sandbox.cwd,
      env: sandbox.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(3);
  });

  it("vaultlink's own environment and command line never hold a value while the child runs", async () => {
    const ready = join(sandbox.root, 'ready-proc');
    const child = `require("fs").writeFileSync(${JSON.stringify(ready)}, String(process.pid)); setInterval(() => {}, 1000);`;
    const running = await startExec(sandbox, ['exec', '--env', 'API_KEY=api', '--env', 'LINKED=linked', '--', ...node(child)], ready);
    try {
      const [environ, cmdline, comm] = await Promise.all(
        ['environ', 'cmdline', 'comm'].map((f) => readFile(`/proc/${running.pid}/${f}`, 'latin1')),
      );
      for (const value of [values.api, values.linked]) {
        expect(environ).not.toContain(value);
        expect(cmdline).not.toContain(value);
        expect(comm).not.toContain(value);
      }
      expect(environ).not.toContain('VAULTLINK_PASSPHRASE');
      // The child does have them: that is the point.
      const childPid = (await readFile(ready, 'utf8')).trim();
      expect(await readFile(`/proc/${childPid}/environ`, 'latin1')).toContain(`API_KEY=${values.api}`);
    } finally {
      process.kill(running.pid, 'SIGTERM');
      await running.done;
    }
  });
});
