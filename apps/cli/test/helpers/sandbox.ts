/**
 * Test sandbox: a temporary VAULTLINK_HOME with a passphrase vault, a seed file for the
 * memory provider, the fixture provider installed as a package in the working directory,
 * and a runner that spawns the BUILT CLI (`node dist/bin.cjs`) and records every output.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { initFileStore } from '@vault/core';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI_BIN = resolve(here, '../../dist/bin.cjs');
const FIXTURE_PROVIDER = resolve(here, '../fixtures/fixture-provider.mjs');

export interface RunResult {
  args: string[];
  code: number;
  stdout: string;
  /** stdout exactly as written (for byte-exact checks). */
  stdoutBytes?: Buffer;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface Sandbox {
  root: string;
  home: string;
  /** Working directory of CLI runs; holds node_modules/vaultlink-provider-fixture. */
  cwd: string;
  seedFile: string;
  passphrase: string;
  env: Record<string, string>;
  /** Every run, for the leak test's grep. */
  transcript: RunResult[];
  run(args: string[], options?: RunOptions): Promise<RunResult>;
  writeSeed(documents: Record<string, unknown>): Promise<void>;
  cleanup(): Promise<void>;
}

/** A value nobody else could produce, so a grep hit means a real leak. */
export function uniqueValue(label: string): string {
  return `${label}-${randomBytes(9).toString('base64url')}`;
}

/** A short lower-case alphanumeric id, safe inside Vault mount, role, policy and path names. */
export function uniqueSuffix(label: string): string {
  return uniqueValue(label)
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 10)
    .toLowerCase();
}

/** Environment of the test process without anything that changes the CLI's behaviour. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (
      key.startsWith('VAULTLINK_') ||
      key.startsWith('FIXTURE_') ||
      ['NO_COLOR', 'FORCE_COLOR', 'CI', 'DISPLAY', 'WAYLAND_DISPLAY', 'npm_config_user_agent'].includes(key)
    )
      continue;
    env[key] = value;
  }
  return env;
}

export async function createSandbox(options: { initVault?: boolean; documents?: Record<string, unknown> } = {}): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'vaultlink-cli-test-'));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  const seedDir = join(root, 'upstream');
  const seedFile = join(seedDir, 'memory-seed.json');
  const passphrase = uniqueValue('test-passphrase');
  await mkdir(join(cwd, 'node_modules', 'vaultlink-provider-fixture'), { recursive: true });
  await mkdir(seedDir, { recursive: true });
  const fixtureDir = join(cwd, 'node_modules', 'vaultlink-provider-fixture');
  await writeFile(
    join(fixtureDir, 'package.json'),
    JSON.stringify({ name: 'vaultlink-provider-fixture', version: '1.0.0', type: 'module', exports: './index.mjs' }),
  );
  await copyFile(FIXTURE_PROVIDER, join(fixtureDir, 'index.mjs'));

  const env: Record<string, string> = {
    ...cleanEnv(),
    VAULTLINK_HOME: home,
    VAULTLINK_PASSPHRASE: passphrase,
    VAULTLINK_KEYCHAIN: 'off',
    VAULTLINK_MEMORY_PROVIDER_FILE: seedFile,
    VAULTLINK_TEAM_CONFIG: join(root, 'team', 'team.json'),
  };
  const transcript: RunResult[] = [];

  const sandbox: Sandbox = {
    root,
    home,
    cwd,
    seedFile,
    passphrase,
    env,
    transcript,
    async writeSeed(documents) {
      await writeFile(seedFile, JSON.stringify({ documents }, null, 2));
    },
    async run(args, runOptions = {}) {
      const childEnv: Record<string, string> = { ...env };
      for (const [key, value] of Object.entries(runOptions.env ?? {})) {
        if (value === undefined) delete childEnv[key];
        else childEnv[key] = value;
      }
      const result = await spawnCli(args, { env: childEnv, cwd: runOptions.cwd ?? cwd, input: runOptions.input });
      transcript.push(result);
      return result;
    },
    async cleanup() {
      await rm(root, { recursive: true, force: true });
    },
  };
  await sandbox.writeSeed(options.documents ?? {});
  if (options.initVault !== false) {
    // A cheap KDF keeps each CLI process fast; `init` itself is tested with the default cost.
    await initFileStore({ home, env: { VAULTLINK_PASSPHRASE: passphrase }, keychain: 'off', kdf: { N: 2 ** 10 } });
  }
  return sandbox;
}

/**
 * A sandbox for the enclosing describe block (or the file): created before its tests, removed
 * after them. The block's own hooks run after the creation and before the removal. The object
 * stands for the sandbox of the current run, so use it inside hooks and tests only.
 */
export function useSandbox(options: Parameters<typeof createSandbox>[0] = {}): Sandbox {
  let current: Sandbox | undefined;
  beforeAll(async () => {
    current = await createSandbox(options);
  });
  afterAll(async () => {
    await current?.cleanup();
  });
  return new Proxy({} as Sandbox, {
    get(_target, key) {
      if (!current) throw new Error('useSandbox(): the sandbox exists inside hooks and tests only');
      return Reflect.get(current, key);
    },
  });
}

export function spawnCli(
  args: string[],
  options: { env: Record<string, string>; cwd: string; input?: string | Buffer },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(stdout);
      resolvePromise({ args, code: code ?? (signal ? 128 : -1), stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Parses the `--json` error object a failed command writes on stderr. */
export function jsonError(result: RunResult): {
  code: string;
  message: string;
  fix?: string;
  issues?: Array<{ field: string; problem: string; expected: string }>;
  details?: Record<string, unknown>;
} {
  const line = result.stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  const parsed = JSON.parse(line) as { error: ReturnType<typeof jsonError> };
  return parsed.error;
}
