/**
 * Runs the child of `vaultlink exec`: no shell (the program and its arguments go to execve as
 * given), stdin inherited, stdout and stderr either inherited untouched or piped through a
 * masking stream, SIGINT/SIGTERM/SIGHUP forwarded while it runs. Resolves with the exit code
 * to pass on: the child's own, or 128 + the signal number when a signal ended it (as shells do).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { pipeline } from 'node:stream/promises';
import type { Readable, Transform, Writable } from 'node:stream';
import { VaultError } from '@vault/core';

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ChildOptions {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  stdout: Writable;
  stderr: Writable;
  /** A fresh masking stream per output; undefined passes the child's bytes through untouched. */
  mask?: () => Transform;
}

export async function runChild(options: ChildOptions): Promise<number> {
  const masked = options.mask !== undefined;
  const child = spawn(options.command, [...options.args], {
    env: options.env,
    shell: false,
    stdio: ['inherit', masked ? 'pipe' : 'inherit', masked ? 'pipe' : 'inherit'],
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const outputs = masked
      ? [copy(child.stdout!, options.mask!(), options.stdout), copy(child.stderr!, options.mask!(), options.stderr)]
      : [];
    // Awaited after the exit; until then a failure must not count as unhandled.
    for (const output of outputs) output.catch(() => undefined);
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const { code, signal } = await exit.catch((error: NodeJS.ErrnoException) => {
      throw spawnError(options.command, error);
    });
    await Promise.all(outputs);
    if (signal) return 128 + (constants.signals[signal] ?? 0);
    return code ?? 1;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}

/**
 * Copies one output through its mask. When our side of it goes away (`| head`), the copy stops
 * and the child's pipe is closed, so the child gets SIGPIPE/EPIPE as it would without us.
 */
async function copy(from: Readable, mask: Transform, to: Writable): Promise<void> {
  try {
    await pipeline(from, mask, to, { end: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPIPE' && code !== 'ERR_STREAM_PREMATURE_CLOSE' && code !== 'ERR_STREAM_DESTROYED') throw error;
    from.destroy();
  }
}

/** ENOENT/EACCES as a shell would say them; the exit codes are the shell's (127, 126). */
function spawnError(command: string, error: NodeJS.ErrnoException): VaultError {
  const missing = error.code === 'ENOENT';
  return new VaultError(
    'INVALID_INPUT',
    missing ? `Command not found: ${command}` : `Cannot run ${command} (${error.code ?? error.message}).`,
    {
      issues: [
        {
          field: 'COMMAND',
          problem: missing ? 'is not a program on PATH or a path to one' : `cannot be executed (${error.code ?? 'error'})`,
          expected: 'a program and its arguments after --, e.g. -- curl https://api.example.com',
        },
      ],
      details: { exitCode: missing ? 127 : 126 },
      cause: error,
    },
  );
}
