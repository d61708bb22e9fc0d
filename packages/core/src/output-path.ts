/**
 * Where vaultlink may write an output file (a report, an export, a rewritten import file): never
 * inside the vault's home (VAULTLINK_HOME: `--reporter-json-export "$VAULTLINK_HOME/vault.enc"`
 * once replaced the vault with a report) and never over a file that starts with the vault's magic
 * bytes, wherever it is (a copy or a backup of a vault). Symlinks are followed, so a link to the
 * vault is refused like the vault. One owner for the runner and the CLI.
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { VaultError } from './errors.js';
import { MAGIC } from './store/format.js';
import { defaultVaultHome, type EnvLike } from './store/paths.js';

export interface OutputPathOptions {
  /** Environment naming the vault home. @default process.env */
  env?: EnvLike;
  /** The vault home, when it is not the one `env` names. */
  home?: string;
  /** Relative paths are resolved from here. @default process.cwd() */
  cwd?: string;
}

/** Why `path` must not be written, or undefined when it may be. */
export function outputPathProblem(path: string, options: OutputPathOptions = {}): string | undefined {
  const target = resolve(options.cwd ?? process.cwd(), path);
  const home = options.home ?? defaultVaultHome(options.env ?? process.env);
  const homes = new Set([resolve(home), realOrSelf(resolve(home))]);
  const places = new Set([target, realOrSelf(target), resolve(realOrSelf(dirname(target)), relative(dirname(target), target))]);
  for (const place of places) {
    for (const root of homes) if (isPathInside(place, root)) return `is inside the vaultlink home (${home}), where the vault lives`;
  }
  for (const place of places) if (startsWithVaultMagic(place)) return "is a vaultlink vault file (it starts with the vault's magic bytes)";
  return undefined;
}

/** Throws INVALID_INPUT naming `field` when `path` must not be written. */
export function assertSafeOutputPath(path: string, field: string, options: OutputPathOptions = {}): void {
  const problem = outputPathProblem(path, options);
  if (problem === undefined) return;
  throw new VaultError('INVALID_INPUT', `vaultlink will not write ${path}: it ${problem}. Nothing was written there.`, {
    issues: [{ field, problem, expected: 'a path outside VAULTLINK_HOME that is not a vault file' }],
    fix: { action: 'manual', text: `choose another path for ${field}` },
  });
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether `path` is `root` or below it (lexically; resolve symlinks first where they matter). */
export function isPathInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function startsWithVaultMagic(path: string): boolean {
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return false;
    fd = openSync(path, 'r');
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, MAGIC.length, 0) === MAGIC.length && head.equals(MAGIC);
  } catch {
    return false; // missing or unreadable: nothing of ours to protect there
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
