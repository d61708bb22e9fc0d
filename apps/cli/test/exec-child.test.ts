/**
 * `vaultlink exec` and its child, through the built CLI: the child reads vaultlink's stdin,
 * a program that cannot be executed is exit 126, SIGHUP is forwarded like SIGINT and SIGTERM
 * (as the README says), and names the vault lacks come from the VAULTLINK_LINKS manifest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExec } from './helpers/exec-process.js';
import { expectNoLeaks, ok } from './helpers/leaks.js';
import { createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';

const values = { api: uniqueValue('exec-child-api'), linked: uniqueValue('exec-child-linked') };
const documents = { 'team/app': { versions: [{ token: values.linked }] } };
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const node = (code: string) => [process.execPath, '-e', code];

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox({ documents });
  ok(await sandbox.run(['set', 'api', '--stdin'], { input: values.api }));
  ok(await sandbox.run(['connect', 'memory']));
  ok(await sandbox.run(['link', 'linked', '--provider', 'memory', '--path', 'team/app', '--key', 'token']));
});
afterAll(() => sandbox.cleanup());

describe('vaultlink exec: the child process', () => {
  it("the child reads vaultlink's stdin, every byte of it, with masking on and off", async () => {
    // Larger than a pipe buffer, and binary: nothing may be read, decoded or held back by vaultlink.
    const input = randomBytes(300 * 1024);
    const reader =
      'const chunks = []; process.stdin.on("data", (c) => chunks.push(c)); process.stdin.on("end", () => { const all = Buffer.concat(chunks); console.log(all.length + " " + require("crypto").createHash("sha256").update(all).digest("hex")); });';
    for (const masking of [[], ['--no-masking']]) {
      const result = ok(await sandbox.run(['exec', ...masking, '--env', 'API_KEY=api', '--', ...node(reader)], { input }));
      expect(result.stdout).toBe(`${input.length} ${sha(input)}\n`);
    }
    const text = ok(
      await sandbox.run(['exec', '--env', 'API_KEY=api', '--', ...node('process.stdin.pipe(process.stdout)')], {
        input: 'line one\nline two\n',
      }),
    );
    expect(text.stdout).toBe('line one\nline two\n');
  });

  it('a program that exists but cannot be executed is exit 126, named on stderr', async () => {
    const script = join(sandbox.cwd, 'not-executable.sh');
    const marker = join(sandbox.root, 'script-ran');
    await writeFile(script, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o644 });
    const result = await sandbox.run(['exec', '--env', 'API_KEY=api', '--', './not-executable.sh']);
    expect(result.code).toBe(126);
    expect(result.stderr).toContain('Cannot run ./not-executable.sh');
    expect(result.stderr).toContain('EACCES');
    expect(existsSync(marker)).toBe(false);
    const directory = await sandbox.run(['exec', '--', sandbox.root]);
    expect(directory.code).toBe(126);
    expect(result.stderr + directory.stderr).not.toContain(values.api);
  });

  it('forwards SIGHUP to the child and passes on how it ended', async () => {
    const ready = join(sandbox.root, 'ready-hup');
    const handled = `require("fs").writeFileSync(${JSON.stringify(ready)}, "x"); process.on("SIGHUP", () => { console.log("child got SIGHUP"); process.exit(43); }); setInterval(() => {}, 1000);`;
    const first = await startExec(sandbox, ['exec', '--env', 'API_KEY=api', '--', ...node(handled)], ready);
    process.kill(first.pid, 'SIGHUP');
    const firstEnd = await first.done;
    expect(firstEnd.code, firstEnd.stderr).toBe(43);
    expect(firstEnd.stdout).toBe('child got SIGHUP\n');

    const readyDefault = join(sandbox.root, 'ready-hup-default');
    const sleeper = `require("fs").writeFileSync(${JSON.stringify(readyDefault)}, "x"); setInterval(() => {}, 1000);`;
    const second = await startExec(sandbox, ['exec', '--env', 'API_KEY=api', '--', ...node(sleeper)], readyDefault);
    process.kill(second.pid, 'SIGHUP');
    const secondEnd = await second.done;
    expect(secondEnd.signal).toBeNull(); // vaultlink itself outlived the signal and exited with the child's end
    expect(secondEnd.code).toBe(129); // 128 + SIGHUP (1)
  });
});

describe('vaultlink exec with VAULTLINK_LINKS', () => {
  let fresh: Sandbox;
  let manifest: string;

  beforeAll(async () => {
    const repo = join(sandbox.root, 'repo');
    await mkdir(repo, { recursive: true });
    ok(await sandbox.run(['links', 'export', 'linked'], { cwd: repo }));
    manifest = join(repo, '.vaultlink', 'links.json');
    // A CI-like vault: empty, signed in to the provider, nothing linked.
    fresh = await createSandbox({ documents });
    ok(await fresh.run(['connect', 'memory']));
  });
  afterAll(() => fresh?.cleanup());

  it('a name the vault lacks comes from the manifest; without the variable the program is not started', async () => {
    const marker = join(fresh.root, 'ran-without-manifest');
    const without = await fresh.run([
      'exec',
      '--env',
      'TOKEN=linked',
      '--',
      ...node(`require("fs").writeFileSync(${JSON.stringify(marker)}, "ran")`),
    ]);
    expect(without.code).toBe(4);
    expect(without.stderr).toMatch(/linked: missing/);
    expect(existsSync(marker)).toBe(false);

    const code =
      'console.log(require("crypto").createHash("sha256").update(process.env.TOKEN).digest("hex")); console.log("token=" + process.env.TOKEN)';
    const result = ok(await fresh.run(['exec', '--env', 'TOKEN=linked', '--', ...node(code)], { env: { VAULTLINK_LINKS: manifest } }));
    expect(result.stdout).toBe(`${sha(values.linked)}\ntoken=********\n`);
    // The manifest's link was used, not copied into the vault.
    expect(JSON.parse(ok(await fresh.run(['list', '--json'])).stdout)).toEqual([]);
    await expectNoLeaks(fresh, Object.values(values));
  });
});
