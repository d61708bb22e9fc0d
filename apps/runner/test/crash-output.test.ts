/**
 * Issue 12 item 1, the crash path: a reporter that throws with the resolved request in its
 * message (as the masking regex once did with every value) must not print internal state. The
 * bin prints one masked INTERNAL line with a Fix, no stack, and exits 1.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collection } from './helpers/collections.js';
import { runBin } from './helpers/spawn-bin.js';
import { useRunSetup } from './helpers/run-setup.js';

const VALUE = 'crash-path-secret-0d15ea5e';

describe('a crash during a run', () => {
  const setup = useRunSetup({ locals: { k: VALUE } });

  beforeAll(async () => {
    // A reporter found through NODE_PATH that throws, asynchronously, with the resolved header in its message.
    const reporter = join(setup.testVault.home, 'modules', 'newman-reporter-crashy');
    await mkdir(reporter, { recursive: true });
    await writeFile(
      join(reporter, 'index.js'),
      "module.exports = function (emitter) { emitter.on('request', (err, o) => { setTimeout(() => { throw new Error('reporter broke on ' + JSON.stringify(o.request.headers)); }); }); };\n",
    );
  });

  it('prints a masked INTERNAL error with a Fix line and no stack, and exits 1', async () => {
    const file = join(setup.testVault.home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([{ name: 'r', request: { url: `${setup.server.origin}/r`, header: [{ key: 'X-K', value: '{{vault:k}}' }] } }]),
      ),
    );
    const result = await runBin([file, '-r', 'crashy'], {
      env: { ...setup.testVault.env, NODE_PATH: join(setup.testVault.home, 'modules') },
      cwd: setup.testVault.home,
    });
    expect(setup.server.requests[0]?.headers['x-k']).toBe(VALUE); // it did have the value to leak
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[INTERNAL\] The run crashed: reporter broke on .*\*{8}/m);
    expect(result.stderr).toMatch(/^Fix: run again with VAULTLINK_DEBUG=1/m);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(result.stdout + result.stderr).not.toContain(VALUE);
  });
});
