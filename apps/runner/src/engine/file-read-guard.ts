/**
 * File uploads (form-data `src`, file bodies) are read through the `fileResolver` newman hands
 * postman-runtime (its SecureFS: working directory only, unless insecureFileRead). That check is
 * lexical: a symlink inside the working directory still reaches any file. This guard wraps the
 * resolver so that, whatever insecureFileRead says, nothing is read whose real path (symlinks
 * followed) is inside the vault's home (VAULTLINK_HOME: the vault file, its lock) or under /proc,
 * /dev or /sys (a collection once uploaded /proc/self/environ, passphrase included). The real path
 * is what the wrapped resolver is then given, so the link cannot be swapped in between, and a
 * link leading out of the working directory is refused by SecureFS as any outside path is.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPathInside } from '@vault/core';

const SYSTEM_ROOTS = ['/proc', '/dev', '/sys'];

/** The part of newman's SecureFS that postman-runtime calls. */
export interface FileResolver {
  workingDir?: string;
  stat(path: string, callback: (error: Error | null, stats?: unknown) => void): void;
  createReadStream(path: string, options?: unknown): unknown;
  readFile(path: string, ...rest: unknown[]): void;
}

export function guardFileResolver(resolver: FileResolver, vaultHome: string): FileResolver {
  const roots = forbiddenRoots(vaultHome);
  const check = (path: string): { real: string } | { error: Error } => {
    const absolute = resolve(resolver.workingDir ?? process.cwd(), path);
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch {
      real = absolute; // a missing file: the wrapped resolver reports it
    }
    const root = roots.find((candidate) => isPathInside(real, candidate) || isPathInside(absolute, candidate));
    if (root === undefined) return { real };
    const what = SYSTEM_ROOTS.includes(root)
      ? `a system directory (${root})`
      : 'the vaultlink home (VAULTLINK_HOME), where the vault file lives';
    return {
      error: new Error(`vaultlink refuses to read ${path}: it is in ${what}, which is never uploaded, even with --insecure-file-read.`),
    };
  };
  const guarded: FileResolver = Object.create(resolver) as FileResolver;
  guarded.stat = (path, callback) => {
    const outcome = check(path);
    if ('error' in outcome) return callback(outcome.error);
    return resolver.stat(outcome.real, callback);
  };
  guarded.createReadStream = (path, options) => {
    const outcome = check(path);
    if ('error' in outcome) throw outcome.error;
    return resolver.createReadStream(outcome.real, options);
  };
  guarded.readFile = (path, ...rest) => {
    const outcome = check(path);
    const callback = rest[rest.length - 1];
    if ('error' in outcome) {
      if (typeof callback === 'function') (callback as (error: Error) => void)(outcome.error);
      return;
    }
    resolver.readFile(outcome.real, ...rest);
  };
  return guarded;
}

function forbiddenRoots(vaultHome: string): string[] {
  const roots = new Set([...SYSTEM_ROOTS, resolve(vaultHome)]);
  try {
    roots.add(realpathSync(vaultHome));
  } catch {
    // no home yet: its lexical path is enough
  }
  return [...roots];
}
