/**
 * vitest globalSetup for every package: the run gets its own temp folder (TMPDIR, TMP and TEMP,
 * inherited by test workers and the processes they start), and at the end the run fails if a test
 * left a `vl-*` folder behind. The folder is then removed whatever it holds, so no run litters the
 * OS temp dir. Plain ESM (with vitest.temp-guard.d.mts) so package tests can import it too.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TEMP_VARIABLES = ['TMPDIR', 'TMP', 'TEMP'];
/** Prefix of the temp folders our tests make; each test removes its own. */
export const TEST_TEMP_PREFIX = 'vl-';
/** Set while a guard is active, so the projects of one run (they inherit globalSetup) share one folder. */
const ACTIVE = 'VAULTLINK_TEST_TEMP_ROOT';

export default async function setup() {
  if (process.env[ACTIVE]) return async () => {};
  const outer = Object.fromEntries(TEMP_VARIABLES.map((name) => [name, process.env[name]]));
  const root = await mkdtemp(join(tmpdir(), 'vaultlink-test-run-'));
  for (const name of TEMP_VARIABLES) process.env[name] = root;
  process.env[ACTIVE] = root;
  return async () => {
    delete process.env[ACTIVE];
    for (const name of TEMP_VARIABLES) {
      if (outer[name] === undefined) delete process.env[name];
      else process.env[name] = outer[name];
    }
    const left = (await readdir(root)).filter((entry) => entry.startsWith(TEST_TEMP_PREFIX));
    await rm(root, { recursive: true, force: true });
    if (left.length > 0) {
      throw new Error(
        `Tests left ${left.length} temp folder(s) behind: ${left.join(', ')}. Remove each in the test that made it (afterAll / onTestFinished).`,
      );
    }
  };
}
