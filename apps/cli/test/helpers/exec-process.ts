/**
 * Starts `vaultlink exec …` as a background process for signal tests and waits until the child
 * program writes its "I am running" mark file, so a signal sent afterwards reaches a running child.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI_BIN, type Sandbox } from './sandbox.js';

export interface ExecEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningExec {
  /** Pid of the vaultlink process (not of its child). */
  pid: number;
  done: Promise<ExecEnd>;
}

export function startExec(sandbox: Sandbox, args: string[], readyFile: string): Promise<RunningExec> {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: sandbox.cwd, env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<ExecEnd>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (existsSync(readyFile)) {
        clearInterval(poll);
        resolve({ pid: child.pid!, done });
      } else if (Date.now() - started > 30_000 || child.exitCode !== null) {
        clearInterval(poll);
        child.kill('SIGKILL');
        reject(new Error(`the child never started: ${stderr}`));
      }
    }, 50);
  });
}
