/**
 * The packages as users get them: each workspace package is packed with `pnpm pack` (which
 * turns `workspace:` ranges into versions) and the tarballs are installed with npm into a
 * temporary project outside the workspace, so no pnpm override, hoisting or TS path reaches it.
 * (The simplest version of a pack-and-install helper; a shared one is being built on the
 * `runner` branch.)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../../../..');

export interface Installed {
  dir: string;
  /** Path of an installed package's bin, e.g. bin('vaultlink'). */
  bin(name: string): string;
  cleanup(): Promise<void>;
}

/** Packs the named workspace packages and npm-installs all their tarballs together. */
export async function packAndInstall(packages: string[]): Promise<Installed> {
  const dir = await mkdtemp(join(tmpdir(), 'vaultlink-packed-'));
  const tarballs = join(dir, 'tarballs');
  for (const name of packages) {
    await run('pnpm', ['--filter', name, 'pack', '--pack-destination', tarballs], { cwd: repo, maxBuffer: 16 * 2 ** 20 });
  }
  const project = join(dir, 'project');
  await run('mkdir', ['-p', project]);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'packed-test', version: '1.0.0', private: true }));
  const files = (await readdir(tarballs)).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], { cwd: project, maxBuffer: 16 * 2 ** 20, timeout: 300_000 });
  return {
    dir: project,
    bin: (name) => join(project, 'node_modules', '.bin', name),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
