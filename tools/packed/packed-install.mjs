// Installs workspace packages the way users get them: `pnpm pack` tarballs, installed with npm (or
// `{ manager: 'pnpm' }` / `'yarn'`) into a new folder outside the workspace. Workspace-only settings
// (pnpm overrides, hoisting, TS paths) do not reach such an install, so a test there sees what a
// user sees.
//
//   const install = await installPacked(['vaultlink', '@vault/runner', '@vault/provider-hashicorp']);
//   await install.exec('vaultlink', ['init'], { env });
//   await install.node('require("@vault/runner")');
//   await install.cleanup();
//
// - Packs once per content: tarballs are cached under .tmp/packed/<hash of every package's
//   manifest and packed files (size, mtime)>, shared by every test process of a run (a lock
//   directory serialises packing) and reused by the next run when nothing was rebuilt. Older
//   sets are removed when a new one is made.
// - Reuses npm's cache (~/.npm) and installs with --prefer-offline; the first install downloads
//   the third-party dependencies, later ones take seconds.
// - Needs the packages built (`pnpm build`; `pnpm test` builds first).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = join(ROOT, '.tmp', 'packed');
const LOCK_STALE_MS = 10 * 60_000;

/** Publishable workspace packages: name → directory. */
export function workspacePackages() {
  const found = new Map();
  for (const group of ['packages', 'apps']) {
    const base = join(ROOT, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base)) {
      const manifestPath = join(base, entry, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (!manifest.private) found.set(manifest.name, { dir: join(base, entry), manifest });
    }
  }
  return found;
}

/** Tarball path per package name, packing only when their content changed. */
export async function packedTarballs() {
  const packages = workspacePackages();
  const key = contentKey(packages);
  const dir = join(CACHE, key);
  const done = join(dir, 'done.json');
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8'));
  await withLock(`${dir}.lock`, async () => {
    if (existsSync(done)) return;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const tarballs = {};
    for (const [name, { dir: packageDir }] of packages) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', dir], { cwd: packageDir });
      const file = stdout.trim().split('\n').filter(Boolean).pop();
      tarballs[name] = file.startsWith('/') ? file : join(dir, file);
      if (!existsSync(tarballs[name])) throw new Error(`pnpm pack of ${name} did not produce ${tarballs[name]}`);
    }
    await writeFile(done, JSON.stringify(tarballs, null, 2));
    for (const other of await readdir(CACHE)) {
      if (other !== key && other !== `${key}.lock` && !other.endsWith('.lock'))
        await rm(join(CACHE, other), { recursive: true, force: true });
    }
  });
  return JSON.parse(readFileSync(done, 'utf8'));
}

/**
 * Installs `names` (and the workspace packages they depend on) from their tarballs into a new
 * folder in the OS temp dir, with npm (default), pnpm or yarn classic. `extra` are more specs (e.g. a path to a
 * third-party package).
 */
export async function installPacked(names, { extra = [], manager = 'npm' } = {}) {
  const packages = workspacePackages();
  const tarballs = await packedTarballs();
  const wanted = new Set();
  const visit = (name) => {
    if (wanted.has(name)) return;
    const entry = packages.get(name);
    if (!entry) throw new Error(`${name} is not a publishable workspace package (known: ${[...packages.keys()].join(', ')})`);
    wanted.add(name);
    for (const dependency of Object.keys(entry.manifest.dependencies ?? {})) if (packages.has(dependency)) visit(dependency);
  };
  names.forEach(visit);
  const dir = await mkdtemp(join(tmpdir(), `vaultlink-${manager}-`));
  const specs = [...[...wanted].map((name) => tarballs[name]), ...extra];
  try {
    if (manager === 'npm') {
      await writeFile(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'vaultlink-npm-install', version: '0.0.0', private: true }, null, 2),
      );
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs], {
        cwd: dir,
        env: npmEnv(),
      });
    } else if (manager === 'pnpm') {
      await writeFile(join(dir, 'package.json'), JSON.stringify(pnpmConsumerManifest(wanted, tarballs), null, 2));
      // --ignore-workspace: never this repository's workspace settings; the store (~/.local/share/pnpm) is reused.
      await run('pnpm', ['add', '--ignore-workspace', '--prefer-offline', '--reporter=silent', ...specs], { cwd: dir, env: npmEnv() });
    } else if (manager === 'yarn') {
      await writeFile(join(dir, 'package.json'), JSON.stringify(yarnConsumerManifest(wanted, tarballs, extra), null, 2));
      await run(YARN_BIN, ['install', '--prefer-offline', '--non-interactive', '--silent', '--no-lockfile'], { cwd: dir, env: npmEnv() });
    } else {
      throw new Error(`unknown package manager ${manager} (npm, pnpm or yarn)`);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    /** Path of an installed package's directory. */
    packageDir: (name) => join(dir, 'node_modules', ...name.split('/')),
    /** Runs an installed bin (node_modules/.bin/NAME). */
    exec: (bin, args, options = {}) => run(join(dir, 'node_modules', '.bin', bin), args, { cwd: dir, ...options, allowFailure: true }),
    /** Runs a CommonJS snippet with node in the install folder. */
    node: (source, options = {}) => run(process.execPath, ['-e', source], { cwd: dir, ...options, allowFailure: true }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * npm takes every tarball's dependency on another of ours from the tarballs given at once; pnpm
 * resolves each against the registry, where our unpublished packages are not. The consumer maps
 * only our own packages to their tarballs (standing in for the registry); every third-party
 * package (newman and its postman-runtime included) resolves as it would for a user.
 */
function pnpmConsumerManifest(wanted, tarballs) {
  const overrides = Object.fromEntries([...wanted].map((name) => [name, `file:${tarballs[name]}`]));
  return { name: 'vaultlink-pnpm-install', version: '0.0.0', private: true, pnpm: { overrides } };
}

/** yarn classic, as the repository's devDependency pins it. */
const YARN_BIN = join(ROOT, 'node_modules', '.bin', 'yarn');

/** yarn 1 likewise: the packages as file: dependencies, and `resolutions` for our own nested ones. */
function yarnConsumerManifest(wanted, tarballs, extra) {
  const dependencies = Object.fromEntries([...wanted].map((name) => [name, `file:${tarballs[name]}`]));
  const resolutions = Object.fromEntries([...wanted].map((name) => [`**/${name}`, `file:${tarballs[name]}`]));
  if (extra.length > 0) throw new Error('installPacked: extra specs are not supported with yarn');
  return { name: 'vaultlink-yarn-install', version: '0.0.0', private: true, dependencies, resolutions };
}

/** The environment without pnpm's per-script npm_* variables (they would steer npm), keeping registry and cache. */
function npmEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !/^npm_config_(registry|cache|userconfig)$/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function contentKey(packages) {
  const hash = createHash('sha256');
  for (const [name, { dir, manifest }] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`${name}\0${readFileSync(join(dir, 'package.json'), 'utf8')}\0`);
    for (const entry of manifest.files ?? []) {
      for (const file of filesUnder(join(dir, entry))) {
        const info = statSync(file);
        hash.update(`${relative(dir, file)}\0${info.size}\0${info.mtimeMs}\0`);
      }
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(path) {
  if (!existsSync(path)) return [];
  const info = statSync(path);
  if (!info.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}

async function withLock(lock, fn) {
  await mkdir(CACHE, { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const info = await stat(lock).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > LOCK_STALE_MS) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Runs a command; rejects on a non-zero exit unless allowFailure. Resolves { code, stdout, stderr }. */
export function run(command, args, { cwd, env = process.env, input, allowFailure = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && !allowFailure) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ code, stdout, stderr });
    });
  });
}
