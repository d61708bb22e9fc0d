import type { Options } from 'tsup';

/** Shared build: ESM + CJS with types, Node 20 target. Each package passes its entries. */
export function packageBuild(entry: Record<string, string> | string[], extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    shims: true,
    ...extra,
  };
}
