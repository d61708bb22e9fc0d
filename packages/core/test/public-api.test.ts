/**
 * The public surface of each entry point, snapshotted: adding or removing an export is a
 * visible diff in __snapshots__/public-api.test.ts.snap. Names come from the entry file's
 * explicit exports (types included) and are checked against what the module really exports.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ENTRIES = {
  '@vault/core': 'index',
  '@vault/core/provider': 'provider',
  '@vault/core/testing': 'testing',
  '@vault/core/paths': 'paths',
} as const;
const src = (file: string) => fileURLToPath(new URL(`../src/${file}.ts`, import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** `name` for values and `type name` for types, from `export { ... } from` lines. */
function declaredExports(file: string): string[] {
  const text = readFileSync(src(file), 'utf8');
  expect(text, 'entry points use explicit named exports').not.toMatch(/export \*/);
  const names: string[] = [];
  for (const match of text.matchAll(/export (type )?\{([^}]*)\}/g)) {
    for (const part of match[2]!
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const typeOnly = Boolean(match[1]) || part.startsWith('type ');
      names.push(`${typeOnly ? 'type ' : ''}${part.replace(/^type /, '')}`);
    }
  }
  return names.sort();
}

describe.each(Object.entries(ENTRIES))('%s', (_name, file) => {
  it('exports exactly this list', async () => {
    const declared = declaredExports(file);
    expect(declared).toMatchSnapshot();
    const runtime = Object.keys(await import(src(file))).sort();
    expect(runtime).toEqual(declared.filter((n) => !n.startsWith('type ')));
  });
});

describe('@vault/core/provider', () => {
  it('loads neither the store, the keychain nor the loader (checked on the build)', async () => {
    expect(existsSync(`${dist}provider.js`), 'build @vault/core first').toBe(true);
    const hook = `export async function resolve(s, c, next) { const r = await next(s, c); process.stdout.write(r.url + '\\n'); return r; }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      '-e',
      `import(${JSON.stringify(`${dist}provider.js`)})`,
    ]);
    const loaded = stdout.split('\n').filter(Boolean);
    expect(loaded.some((url) => url.endsWith('/dist/provider.js'))).toBe(true);
    expect(loaded.filter((url) => /keyring|proper-lockfile|import-meta-resolve|file-store/.test(url))).toEqual([]);
  });
});

describe('@vault/core/paths', () => {
  it('loads no engine, no crypto and no store: only where the vault lives (checked on the build)', async () => {
    expect(existsSync(`${dist}paths.cjs`), 'build @vault/core first').toBe(true);
    const script = `require(${JSON.stringify(`${dist}paths.cjs`)}); console.log(JSON.stringify(Object.keys(require.cache)))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    const loaded = JSON.parse(stdout) as string[];
    expect(loaded.some((file) => file.endsWith('/dist/paths.cjs'))).toBe(true);
    expect(loaded.filter((file) => /keyring|proper-lockfile|import-meta-resolve|file-store|dist\/index/.test(file))).toEqual([]);
    expect(loaded.filter((file) => !file.includes('/packages/core/dist/'))).toEqual([]);
  });
});
