/**
 * Issue 12 item 2, the other two system roots: a collection uploads files from /dev (a file in
 * /dev/shm, shared memory any local process can write) and /sys (a kernel attribute file),
 * as a form-data file `src` and as a file body, directly and through symlinks in its working
 * directory. Even with --insecure-file-read opted in, none is read; an ordinary outside file is.
 * (/proc and VAULTLINK_HOME: file-reads.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collection } from './helpers/collections.js';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { runBin } from './helpers/spawn-bin.js';
import { createTestVault, type TestVault } from './helpers/test-vault.js';

/** Present on every Linux machine; its text (INTERFACE=lo, IFINDEX=1) is easy to spot in a request. */
const SYS_FILE = '/sys/class/net/lo/uevent';

describe('file uploads never read /dev or /sys, even with --insecure-file-read', () => {
  let server: RecordingServer;
  let testVault: TestVault;
  let work: string;
  let outside: string;
  let devFile: string;
  let devContent: string;
  let sysContent: string;
  let result: Awaited<ReturnType<typeof runBin>>;

  beforeAll(async () => {
    server = await startRecordingServer('127.0.0.1');
    testVault = await createTestVault();
    work = await mkdtemp(join(tmpdir(), 'vaultlink-runner-work-'));
    outside = await mkdtemp(join(tmpdir(), 'vaultlink-runner-outside-'));
    devContent = `dev-shm-content-${randomBytes(8).toString('hex')}`;
    devFile = join('/dev/shm', `vaultlink-upload-test-${randomBytes(6).toString('hex')}`);
    await writeFile(devFile, devContent);
    sysContent = (await readFile(SYS_FILE, 'utf8')).trim();
    await writeFile(join(outside, 'outside.txt'), 'outside-content-3c');
    await symlink(devFile, join(work, 'link-to-dev'));
    await symlink(SYS_FILE, join(work, 'link-to-sys'));
    const upload = (name: string, body: Record<string, unknown>) => ({
      name,
      request: { method: 'POST', url: `${server.origin}/${name}`, body },
    });
    const formFile = (src: string) => ({ mode: 'formdata', formdata: [{ key: 'f', type: 'file', src }] });
    const fileBody = (src: string) => ({ mode: 'file', file: { src } });
    const file = join(work, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          upload('dev-form', formFile(devFile)),
          upload('dev-body', fileBody(devFile)),
          upload('dev-link', fileBody('link-to-dev')),
          upload('sys-form', formFile(SYS_FILE)),
          upload('sys-body', fileBody(SYS_FILE)),
          upload('sys-link', formFile('link-to-sys')),
          upload('outside', fileBody(join(outside, 'outside.txt'))),
        ]),
      ),
    );
    result = await runBin([file, '-r', 'cli', '--insecure-file-read'], { env: testVault.env, cwd: outside });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await testVault.cleanup();
    await rm(work, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
    await rm(devFile, { force: true });
  });

  /** The cli reporter wraps console lines as "\n  │ ": undone before searching. */
  const unwrapped = (text: string) => text.replace(/\n[ \t]*(?:│ ?)?/g, '');
  const sent = () => server.requests.map((request) => request.raw).join('\n');

  it('every request goes out without the refused file; the outside file is read (the opt-in works)', () => {
    expect(server.requests.map((request) => request.url)).toEqual([
      '/dev-form',
      '/dev-body',
      '/dev-link',
      '/sys-form',
      '/sys-body',
      '/sys-link',
      '/outside',
    ]);
    expect(sent()).toContain('outside-content-3c');
    expect(sent()).not.toContain(devContent);
    expect(sent()).not.toContain('INTERFACE=lo');
    expect(sent()).not.toContain(sysContent);
  });

  it('names each refused file and its system directory', () => {
    const output = unwrapped(result.stdout);
    expect(output).toContain(`vaultlink refuses to read ${devFile}: it is in a system directory (/dev)`);
    expect(output).toContain('vaultlink refuses to read link-to-dev: it is in a system directory (/dev)');
    expect(output).toContain(`vaultlink refuses to read ${SYS_FILE}: it is in a system directory (/sys)`);
    expect(output).toContain('vaultlink refuses to read link-to-sys: it is in a system directory (/sys)');
  });
});
