/**
 * `vaultlink run -r json --reporter-json-export /dev/stdout`: stdout is the report and nothing
 * else (vaultlink's own warnings and progress go to stderr), so it parses, masked.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collection } from './helpers/collections.js';
import { BIN } from './helpers/spawn-bin.js';
import { useRunSetup } from './helpers/run-setup.js';

const VALUE = 'json-stdout-value-61c0';

describe('a JSON report on stdout', () => {
  const setup = useRunSetup({
    locals: {
      k: VALUE,
      tiny: 'ab', // a short value: a warning on stderr
    },
  });

  it("stays parseable, masked, with vaultlink's messages on stderr", async () => {
    const file = join(setup.testVault.home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          {
            name: 'r',
            request: {
              url: `${setup.server.origin}/r`,
              header: [
                { key: 'X-K', value: '{{vault:k}}' },
                { key: 'X-T', value: '{{vault:tiny}}' },
                { key: 'X-U', value: '{{vault:nowhere}}' },
              ],
            },
          },
        ]),
      ),
    );
    // stdout is a file, as in `vaultlink run ... > report.json` (Node's own pipes are sockets, which /dev/stdout cannot open).
    const out = join(setup.testVault.home, 'stdout.txt');
    const fd = openSync(out, 'w');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, file, '-r', 'json', '--reporter-json-export', '/dev/stdout'], {
        env: setup.testVault.env,
        cwd: setup.testVault.home,
        stdio: ['ignore', fd, 'pipe'],
      });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    closeSync(fd);
    const stdout = readFileSync(out, 'utf8');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(stdout) as { run: { executions: unknown[] } };
    expect(report.run.executions).toHaveLength(1);
    expect(stdout).not.toContain(VALUE);
    expect(result.stderr).not.toContain('was sent literally'); // warned once, before the run
    expect(result.stderr).toMatch(/warning: 1 vault secret is shorter than 6 characters \(tiny\)/);
    expect(result.stderr).toMatch(/warning: .*\{\{vault:nowhere\}\}/s);
  });
});
