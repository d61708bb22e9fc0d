/**
 * Where the link manifest lives and how it is read and written. `links export` and `links sync`
 * use `--file`, else `.vaultlink/links.json` in the working directory or a parent (like the
 * team config), else a new one in `<cwd>/.vaultlink/`. Writes are atomic and put the schema
 * copy that `$schema` points to beside the manifest.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { VaultError } from '../errors.js';
import { isFile, writeWorkspaceFile } from '../workspace-file.js';
import {
  LINKS_MANIFEST_DIR,
  LINKS_MANIFEST_FILE,
  LINKS_MANIFEST_SCHEMA,
  LINKS_SCHEMA_FILE,
  parseLinkManifest,
  renderLinkManifest,
  validateLinkManifest,
  type LinkManifest,
} from './format.js';

export interface ManifestLocation {
  /** An explicit file (`--file`), relative to `cwd`. */
  file?: string;
  /** @default process.cwd() */
  cwd?: string;
}

/** The manifest file to use: `file`, else the nearest `.vaultlink/links.json`, else a new one under `cwd`. */
export async function linkManifestPath(location: ManifestLocation = {}): Promise<{ path: string; exists: boolean }> {
  const cwd = resolve(location.cwd ?? process.cwd());
  if (location.file) {
    const path = resolve(cwd, location.file);
    return { path, exists: await isFile(path) };
  }
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, LINKS_MANIFEST_DIR, LINKS_MANIFEST_FILE);
    if (await isFile(candidate)) return { path: candidate, exists: true };
    if (dirname(dir) === dir) return { path: join(cwd, LINKS_MANIFEST_DIR, LINKS_MANIFEST_FILE), exists: false };
  }
}

/** Reads and validates a manifest file. A missing file is INVALID_CONFIG naming it. */
export async function readLinkManifest(path: string): Promise<LinkManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new VaultError('INVALID_CONFIG', `The link manifest ${path} cannot be read (${code ?? 'error'}).`, {
      issues: [
        {
          field: 'file',
          problem: code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`,
          expected: 'a link manifest written by `vaultlink links export`',
        },
      ],
      fix:
        code === 'ENOENT'
          ? 'write one with `vaultlink links export`, or point --file (or VAULTLINK_LINKS) at it'
          : `check the permissions of ${path}`,
      details: { path },
      cause: error,
    });
  }
  return parseLinkManifest(text, path);
}

/** Validates, then writes the manifest and its schema copy atomically (the manifest last). */
export async function writeLinkManifest(path: string, manifest: LinkManifest): Promise<void> {
  await validateLinkManifest(JSON.parse(JSON.stringify(manifest)), path);
  await writeWorkspaceFile(join(dirname(path), LINKS_SCHEMA_FILE), `${JSON.stringify(LINKS_MANIFEST_SCHEMA, null, 2)}\n`);
  await writeWorkspaceFile(path, renderLinkManifest(manifest));
}
