/**
 * A real pseudo-terminal for CLI tests: the command runs in a detached tmux session on a private
 * server socket; tests type with send-keys and read the screen with capture-pane. Waits poll the
 * screen until the expected text is there (or a generous deadline passes), never a fixed sleep.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface Terminal {
  /** Types text, then Enter. */
  type(text: string): Promise<void>;
  /** The visible screen, trailing blank lines dropped. */
  screen(): Promise<string>;
  /** Waits until the screen matches, and returns it; throws with the screen after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Starts `argv` in a 120x30 terminal with exactly `env`, in `cwd`. When the command ends the
 * screen shows `[exit N]` and stays until close().
 */
export async function openTerminal(dir: string, argv: string[], env: Record<string, string>, cwd: string): Promise<Terminal> {
  const socket = join(dir, 'tmux.sock');
  const script = join(dir, 'terminal.sh');
  const exports = Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}`);
  await writeFile(
    script,
    [...exports, `cd ${shellQuote(cwd)}`, argv.map(shellQuote).join(' '), 'echo "[exit $?]"', 'exec sleep 600', ''].join('\n'),
  );
  const tmux = (...args: string[]) => exec('tmux', ['-S', socket, ...args]);
  // env -i: the command sees `env` only (plus the terminal type), not the tmux server's environment.
  await tmux('new-session', '-d', '-x', '120', '-y', '30', `env -i TERM=screen bash --noprofile --norc ${shellQuote(script)}`);
  const screen = async () => (await tmux('capture-pane', '-p')).stdout.replace(/\s+$/, '');
  return {
    screen,
    async type(text) {
      await tmux('send-keys', '-l', text);
      await tmux('send-keys', 'Enter');
    },
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = await screen();
        if (pattern.test(shown)) return shown;
        if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${shown}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await tmux('kill-server').catch(() => undefined); // already gone: nothing left to stop
    },
  };
}
