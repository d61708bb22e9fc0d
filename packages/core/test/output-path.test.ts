/** Issue 12 item 6: no report, export or import output inside VAULTLINK_HOME or over a vault file. */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeOutputPath, isVaultError, outputPathProblem } from '../src/index.js';

describe('output paths', () => {
  let root: string;
  let home: string;
  let elsewhere: string;
  const env = () => ({ VAULTLINK_HOME: home });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vaultlink-output-path-'));
    home = join(root, 'home');
    elsewhere = join(root, 'elsewhere');
    await import('node:fs/promises').then(async (fs) => {
      await fs.mkdir(home);
      await fs.mkdir(elsewhere);
    });
    await writeFile(join(home, 'vault.enc'), Buffer.concat([Buffer.from('VLTLINK\0', 'latin1'), Buffer.alloc(40)]));
    await writeFile(join(elsewhere, 'backup.enc'), Buffer.concat([Buffer.from('VLTLINK\0', 'latin1'), Buffer.alloc(40)]));
    await writeFile(join(elsewhere, 'report.json'), '{}');
    await symlink(join(home, 'vault.enc'), join(elsewhere, 'link-to-vault'));
    await symlink(home, join(elsewhere, 'link-to-home'));
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each([
    ['the vault file', () => join(home, 'vault.enc')],
    ['a new file in the home', () => join(home, 'report.xml')],
    ['the home itself', () => home],
    ['a relative path into the home', () => '../home/x.json'],
    ['a symlink to the vault file', () => join(elsewhere, 'link-to-vault')],
    ['a file under a symlink to the home', () => join(elsewhere, 'link-to-home', 'new.json')],
  ])('refuses %s', (_label, path) => {
    expect(outputPathProblem(path(), { env: env(), cwd: elsewhere })).toMatch(/inside the vaultlink home/);
  });

  it('refuses a file that starts with the vault magic bytes, wherever it is', () => {
    expect(outputPathProblem(join(elsewhere, 'backup.enc'), { env: env() })).toMatch(/vault file/);
  });

  it('allows a new or existing ordinary file elsewhere', () => {
    expect(outputPathProblem(join(elsewhere, 'report.json'), { env: env() })).toBeUndefined();
    expect(outputPathProblem(join(elsewhere, 'new', 'report.xml'), { env: env() })).toBeUndefined();
  });

  it('assertSafeOutputPath throws INVALID_INPUT naming the field, with a fix', () => {
    try {
      assertSafeOutputPath(join(home, 'vault.enc'), '--reporter-json-export', { env: env() });
      expect.unreachable();
    } catch (error) {
      expect(isVaultError(error, 'INVALID_INPUT')).toBe(true);
      expect((error as { issues: Array<{ field: string }> }).issues[0]?.field).toBe('--reporter-json-export');
      // The fix is data (free text: no vaultlink command fixes it); each host renders it.
      expect((error as { fix?: unknown }).fix).toEqual({ action: 'manual', text: 'choose another path for --reporter-json-export' });
    }
  });
});
