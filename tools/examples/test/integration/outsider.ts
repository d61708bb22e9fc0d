/**
 * Doing what someone outside the repository does: npm installs in folders outside the workspace (the
 * npm cache is reused, nothing is fetched that it holds), and commands run with an environment that
 * carries nothing of this workspace's tooling. Packing the workspace packages is tools/packed's job.
 */
import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and resolves with its exit code and output (a failing command does not reject). */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? outsiderEnv(), timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return fail(new Error(`${command} ${args.join(' ')} did not run: ${error.message}\n${stderr}`));
        done({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** Like `run`, but a non-zero exit fails with the command's output. */
export async function must(command: string, args: string[], options: Parameters<typeof run>[2]): Promise<Ran> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  return result;
}

/**
 * This process's environment without what pnpm, turbo, vitest and our own tests set (npm_config_*,
 * VITEST_*, VAULTLINK_*, PEER_*, AWS_*, ...): a child npm or vitest must behave as on a user's machine.
 */
export function outsiderEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const workspaceOnly = /^(npm_|pnpm_|PNPM_|VITEST|TURBO_|VAULTLINK_|PEER_|AWS_|NODE_OPTIONS$|INIT_CWD$|TEST$|NODE_ENV$)/;
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !workspaceOnly.test(key)));
  return { ...env, ...extra };
}

/** `npm install` as a user runs it: audit and funding notices off, the npm cache used before the network. */
export function npmInstall(cwd: string, args: string[]): Promise<Ran> {
  return must('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...args], { cwd });
}

/** Copies an example's own files (not node_modules, dist or vendor) to `dest`, outside the workspace. */
export async function copyExample(name: string, dest: string): Promise<string> {
  const skip = new Set(['node_modules', 'dist', 'vendor']);
  const source = join(REPO, 'examples', name);
  await cp(source, dest, { recursive: true, filter: (path) => !skip.has(path.slice(source.length + 1).split('/')[0]!) && !path.endsWith('.tgz') });
  return dest;
}
