/**
 * Issue 12 item 6: `run --reporter-json-export "$VAULTLINK_HOME/vault.enc"` once replaced the
 * vault with the report. Reports, exports and import output are never written inside
 * VAULTLINK_HOME or over a vault file, and the vault survives every attempt.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importCommand, runCommand } from '../src/index.js';
import { captureStream } from './helpers/capture-stream.js';
import { collection } from './helpers/collections.js';
import { useRunSetup } from './helpers/run-setup.js';

describe('output paths', () => {
  const setup = useRunSetup({ locals: { k: 'output-path-value-42' } });
  let file: string;
  let vaultBytes: Buffer;

  beforeAll(async () => {
    file = join(setup.testVault.home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([{ name: 'one', request: { url: `${setup.server.origin}/one`, header: [{ key: 'X-K', value: '{{vault:k}}' }] } }]),
      ),
    );
    vaultBytes = await readFile(join(setup.testVault.vaultHome, 'vault.enc'));
  });

  beforeEach(() => {
    setup.server.requests.length = 0;
  });

  const command = async (args: string[], cwd?: string) => {
    const stderr = captureStream();
    const previous = process.cwd();
    if (cwd) process.chdir(cwd);
    try {
      const code = await runCommand(args, {
        env: setup.testVault.env,
        stderr,
        stdout: captureStream(),
        openVault: async () => setup.testVault.vault,
      });
      return { code, stderr: stderr.text() };
    } finally {
      process.chdir(previous);
    }
  };

  const vaultIsIntact = async () => {
    expect(await readFile(join(setup.testVault.vaultHome, 'vault.enc'))).toEqual(vaultBytes);
    expect(await (await setup.testVault.reopen()).get('k')).toBe('output-path-value-42');
  };

  it('refuses a report export over the vault file before anything is sent', async () => {
    const { code, stderr } = await command([file, '-r', 'json', '--reporter-json-export', join(setup.testVault.vaultHome, 'vault.enc')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error \[INVALID_INPUT\] vaultlink will not write .*vault\.enc: it is inside the vaultlink home/m);
    expect(stderr).toMatch(/^Fix: choose another path for --reporter-json-export$/m);
    expect(setup.server.requests).toHaveLength(0);
    await vaultIsIntact();
  });

  it('refuses a report export anywhere in VAULTLINK_HOME, and over a vault copy elsewhere', async () => {
    expect((await command([file, '-r', 'junit', '--reporter-junit-export', join(setup.testVault.vaultHome, 'results.xml')])).code).toBe(1);
    const copy = join(setup.testVault.home, 'vault-backup.enc');
    await copyFile(join(setup.testVault.vaultHome, 'vault.enc'), copy);
    const overCopy = await command([file, '-r', 'json', '--reporter-json-export', copy]);
    expect(overCopy.code).toBe(1);
    expect(overCopy.stderr).toContain('is a vaultlink vault file');
    expect(await readFile(copy)).toEqual(vaultBytes);
    expect(setup.server.requests).toHaveLength(0);
    await vaultIsIntact();
  });

  it('leaves out a default-path report (newman/ in the current directory) when that directory is VAULTLINK_HOME, and fails the run', async () => {
    const { code, stderr } = await command([file, '-r', 'json'], setup.testVault.vaultHome);
    expect(code).toBe(1);
    expect(setup.server.requests).toHaveLength(1); // the report is only known once the run is done
    expect(stderr).toMatch(/did not write 1 report:\n {2}- newman\/.*\.json: it is inside the vaultlink home/);
    await vaultIsIntact();
  });

  it('import refuses to rewrite a file inside VAULTLINK_HOME, moving nothing', async () => {
    const inside = join(setup.testVault.vaultHome, 'env.postman_environment.json');
    await writeFile(inside, JSON.stringify({ name: 'e', values: [{ key: 'token', value: 'import-inside-value', type: 'secret' }] }));
    const stderr = captureStream();
    const code = await importCommand(['postman-environment', inside], {
      env: setup.testVault.env,
      stderr,
      stdout: captureStream(),
      openVault: async () => setup.testVault.vault,
    });
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/^error \[INVALID_INPUT\] vaultlink will not write/m);
    await expect((await setup.testVault.reopen()).show('token')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
