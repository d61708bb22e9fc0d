/** Leak checks shared by the provider CLI tests: values must never reach output or VAULTLINK_HOME. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunResult, Sandbox } from './sandbox.js';

/** Commands whose stdout is meant to carry values. */
const VALUE_COMMANDS = new Set(['get', 'resolve']);

async function homeFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
  }
  return out;
}

function forms(value: string): string[] {
  return [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('hex')];
}

/** No secret in any stderr, in the stdout of commands that do not print values, or in a VAULTLINK_HOME file. */
export async function expectNoLeaks(sandbox: Sandbox, secrets: string[]): Promise<void> {
  for (const run of sandbox.transcript) {
    for (const secret of secrets) {
      expect(run.stderr.includes(secret), `stderr of \`${run.args.join(' ')}\` holds a secret`).toBe(false);
      if (!VALUE_COMMANDS.has(run.args[0]!))
        expect(run.stdout.includes(secret), `stdout of \`${run.args.join(' ')}\` holds a secret`).toBe(false);
    }
  }
  const files = await homeFiles(sandbox.home);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = (await readFile(file)).toString('latin1');
    for (const secret of secrets) for (const form of forms(secret)) expect(text.includes(form), `${file} holds a secret`).toBe(false);
  }
}

/** Asserts exit 0, showing the command's stderr when it failed. */
export function ok(result: RunResult): RunResult {
  expect(result.code, `\`vaultlink ${result.args.join(' ')}\` failed: ${result.stderr}`).toBe(0);
  return result;
}
