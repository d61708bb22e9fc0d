/**
 * The real store, bundled from src/store by tsup, for tests that run it in plain `node` child
 * processes (SIGKILLed writers, a fresh process environment). The bundle does not depend on the
 * rest of the package building.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface StoreBundle {
  /** The ESM file exporting what src/store/index.ts exports. */
  path: string;
  remove(): Promise<void>;
}

export async function buildStoreBundle(label: string): Promise<StoreBundle> {
  const { build } = await import('tsup');
  // Inside the package so the bundle resolves proper-lockfile from packages/core/node_modules.
  const dir = join(packageRoot, '.tmp', `${label}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  await build({
    entry: { store: join(packageRoot, 'src/store/index.ts') },
    outDir: dir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    config: false,
    dts: false,
    sourcemap: false,
    silent: true,
    external: ['proper-lockfile', '@napi-rs/keyring'],
  });
  return {
    path: join(dir, 'store.js'),
    async remove() {
      await rm(dir, { recursive: true, force: true });
      // Remove .tmp itself too, unless something else is using it.
      await rmdir(dirname(dir)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'ENOENT') throw error;
      });
    },
  };
}
