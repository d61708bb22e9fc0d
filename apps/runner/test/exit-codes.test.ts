/** newman's exit codes: 0 when everything passed, 1 for failures, errors and bad usage; -x suppresses. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/index.js';
import { collection } from './helpers/collections.js';
import { captureStream } from './helpers/capture-stream.js';
import { useRunSetup } from './helpers/run-setup.js';

describe('exit codes', () => {
  const setup = useRunSetup({ locals: { key: 'exit-code-key-55' } });
  let passing: string;
  let failing: string;

  beforeAll(async () => {
    passing = join(setup.testVault.home, 'passing.json');
    failing = join(setup.testVault.home, 'failing.json');
    const check = (expected: number) => [`pm.test("status", () => pm.response.to.have.status(${expected}));`];
    await writeFile(
      passing,
      JSON.stringify(collection([{ name: 'ok', request: `${setup.server.origin}/ok?k={{vault:key}}`, test: check(200) }])),
    );
    await writeFile(
      failing,
      JSON.stringify(
        collection([
          { name: 'first fails', request: `${setup.server.origin}/first`, test: check(201) },
          { name: 'second', request: `${setup.server.origin}/second`, test: check(200) },
        ]),
      ),
    );
  });

  const command = async (args: string[], stderrIsTTY = false) => {
    const stderr = captureStream(stderrIsTTY);
    const stdout = captureStream();
    const code = await runCommand([...args, '-r', 'json', '--reporter-json-export', join(setup.testVault.home, 'out.json')], {
      env: setup.testVault.env,
      stderr,
      stdout,
      openVault: async () => setup.testVault.vault,
    });
    return { code, stderr: stderr.text(), stdout: stdout.text() };
  };

  it('0 when every request and assertion passed (with the resolve progress line on a TTY)', async () => {
    const { code, stderr } = await command([passing], true);
    expect(code).toBe(0);
    expect(stderr).toContain('resolving vault secrets 1/1');
  });

  it('1 when an assertion failed; 0 with -x/--suppress-exit-code', async () => {
    expect((await command([failing])).code).toBe(1);
    expect((await command([failing, '-x'])).code).toBe(0);
  });

  it('--bail stops at the first failure', async () => {
    const before = setup.server.requests.length;
    expect((await command([failing, '--bail'])).code).toBe(1);
    expect(setup.server.requests.slice(before).map((request) => request.url)).toEqual(['/first']);
  });

  it('1 with an INVALID_INPUT message naming the option when the collection cannot be loaded', async () => {
    const { code, stderr } = await command([join(setup.testVault.home, 'missing.json')]);
    expect(code).toBe(1);
    expect(stderr).toContain('newman could not start the run');
    expect(stderr).toMatch(/- collection: .*could not be loaded/);
  });

  it('1 for bad usage, 0 for --help', async () => {
    const unknown = await command([passing, '--no-such-flag']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown option '--no-such-flag'");
    const missing = await command([]);
    expect(missing.code).toBe(1);
    const help = await command(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--fail-on-unresolved');
    expect(help.stdout).toContain('--allow-script-vault');
    expect(help.stdout).toContain('--iteration-data');
  });
});
