/**
 * The agent's log: one line per lifecycle event (start, unlock, lock, renewal, refused
 * connection, stop), with error codes but never a value, a passphrase, a key or a message
 * from upstream. It is kept next to the socket (0600), in two files of about 1 MiB at most.
 */
import { appendFileSync, renameSync, statSync } from 'node:fs';

const MAX_LOG_BYTES = 1024 * 1024;

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface AgentLog {
  event(name: string, fields?: LogFields): void;
}

export function fileLog(path: string): AgentLog {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // no log yet
  }
  return {
    event(name, fields = {}) {
      const line = formatLine(name, fields);
      try {
        // Kept to two files of at most about 1 MiB each, however long the agent runs.
        if (size + line.length > MAX_LOG_BYTES) {
          renameSync(path, `${path}.1`);
          size = 0;
        }
        appendFileSync(path, line, { mode: 0o600 });
        size += Buffer.byteLength(line);
      } catch {
        // A full disk must not take the agent down; the log is diagnostics only.
      }
    },
  };
}

/** For `agent start --foreground`: the same lines on a stream (stderr). */
export function streamLog(write: (line: string) => void): AgentLog {
  return {
    event(name, fields = {}) {
      write(formatLine(name, fields));
    },
  };
}

function formatLine(name: string, fields: LogFields): string {
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`);
  return `${new Date().toISOString()} ${name}${parts.length ? ` ${parts.join(' ')}` : ''}\n`;
}

/** An unexpected error for the log: its class and where it was thrown, without its message (which may quote data). */
export function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frames = (error.stack ?? '')
    .split('\n')
    .slice(1, 4)
    .map((l) => l.trim())
    .join(' | ');
  return `${error.name}${'code' in error ? `(${String((error as { code?: unknown }).code)})` : ''} ${frames}`;
}
