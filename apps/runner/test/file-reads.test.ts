/**
 * Issue 12 item 2 (file reads): a hostile collection uploads /proc/self/environ (with
 * VAULTLINK_PASSPHRASE in it), the vault file, the vault file through a symlink in the working
 * directory, and a file outside it. By default only files in the collection's directory are
 * read; with --insecure-file-read the outside file is, but VAULTLINK_HOME and /proc never are.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collection } from './helpers/collections.js';
import { runBin } from './helpers/spawn-bin.js';
import { useRunSetup } from './helpers/run-setup.js';

describe('file uploads cannot reach the vault or the process environment', () => {
  const setup = useRunSetup({ locals: { k: 'file-read-test-value-1' } });
  let work: string;
  let outside: string;
  let file: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vaultlink-runner-work-'));
    outside = await mkdtemp(join(tmpdir(), 'vaultlink-runner-outside-'));
    await writeFile(join(work, 'inside.txt'), 'inside-content-7f');
    await writeFile(join(outside, 'outside.txt'), 'outside-content-8e');
    await symlink(join(setup.testVault.vaultHome, 'vault.enc'), join(work, 'link-to-vault'));
    await symlink('/proc/self/environ', join(work, 'link-to-environ'));
    const upload = (name: string, body: Record<string, unknown>) => ({
      name,
      request: { method: 'POST', url: `${setup.server.origin}/${name}`, body },
    });
    file = join(work, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          upload('environ', { mode: 'formdata', formdata: [{ key: 'f', type: 'file', src: '/proc/self/environ' }] }),
          upload('vault', { mode: 'file', file: { src: join(setup.testVault.vaultHome, 'vault.enc') } }),
          upload('vault-link', { mode: 'file', file: { src: 'link-to-vault' } }),
          upload('environ-link', { mode: 'formdata', formdata: [{ key: 'f', type: 'file', src: 'link-to-environ' }] }),
          upload('inside', { mode: 'file', file: { src: 'inside.txt' } }),
          upload('outside', { mode: 'file', file: { src: join(outside, 'outside.txt') } }),
        ]),
      ),
    );
  });

  beforeEach(() => {
    setup.server.requests.length = 0;
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  /** The cli reporter wraps console lines as "\n  │ ": undone before searching. */
  const unwrapped = (text: string) => text.replace(/\n[ \t]*(?:│ ?)?/g, '');
  const sent = () => setup.server.requests.map((request) => request.raw).join('\n');
  const neverSent = () => {
    expect(setup.server.requests.length).toBe(6); // every request went out, without the refused files
    expect(sent()).not.toContain(setup.testVault.env['VAULTLINK_PASSPHRASE']);
    expect(sent()).not.toContain('VAULTLINK_HOME=');
    expect(sent()).not.toContain('VLTLINK');
  };

  it("by default reads only files in the collection's directory", async () => {
    const result = await runBin([file, '-r', 'cli'], { env: setup.testVault.env, cwd: outside });
    neverSent();
    expect(sent()).toContain('inside-content-7f');
    expect(sent()).not.toContain('outside-content-8e');
    expect(unwrapped(result.stdout)).toContain('vaultlink refuses to read /proc/self/environ: it is in a system directory (/proc)');
  });

  it('with --insecure-file-read reads the outside file, never VAULTLINK_HOME or /proc, not even through a symlink', async () => {
    const result = await runBin([file, '-r', 'cli', '--insecure-file-read'], { env: setup.testVault.env, cwd: outside });
    neverSent();
    expect(sent()).toContain('inside-content-7f');
    expect(sent()).toContain('outside-content-8e');
    expect(unwrapped(result.stdout)).toContain('vaultlink refuses to read link-to-vault: it is in the vaultlink home');
    expect(unwrapped(result.stdout)).toContain('vaultlink refuses to read link-to-environ: it is in a system directory (/proc)');
  });
});
