/**
 * One client connection to the agent. Requests are multiplexed by id; the agent's `io` calls
 * are run against the request's ProviderIO and answered. The connection never hangs a
 * command: the agent closing the socket fails every open request at once with
 * AGENT_UNAVAILABLE, and so does an agent that stays silent past SILENCE_LIMIT_MS while
 * requests are open (it sends `alive` every few seconds otherwise).
 */
import { createConnection, type Socket } from 'node:net';
import type { ProviderIO, VaultError } from '@vault/core';
import type { AgentPaths } from '../shared/paths.js';
import {
  LineDecoder,
  MAX_RESPONSE_BYTES,
  PROTOCOL_VERSION,
  SILENCE_LIMIT_MS,
  encode,
  type AgentMessage,
  type ClientMessage,
  type IoContext,
  type RequestContext,
  type WireWarning,
} from '../shared/protocol.js';
import { directoryProblems, socketProblems } from '../shared/socket-guard.js';
import { fromSerialized, serializeError } from '../shared/wire-errors.js';
import { AgentInsecure, AgentNotRunning, agentGone, incompatible, vaultError } from './errors.js';

export interface RequestOptions {
  ctx?: RequestContext;
  /** Where the agent's io calls go (sign-in prompts, browser, messages). */
  io?: ProviderIO;
  onProgress?: (done: number, total: number) => void;
  /** Store warnings the agent met while serving the request (a rolled-back vault file). */
  onWarning?: (warning: WireWarning) => void;
  signal?: AbortSignal;
}

interface Pending {
  op: string;
  io?: ProviderIO;
  onProgress?: (done: number, total: number) => void;
  onWarning?: (warning: WireWarning) => void;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const CONNECT_TIMEOUT_MS = 3_000;

export class AgentConnection {
  private readonly pending = new Map<number, Pending>();
  private readonly decoder = new LineDecoder(MAX_RESPONSE_BYTES);
  private nextId = 1;
  private silence: NodeJS.Timeout | undefined;
  private failure: Promise<VaultError> | undefined;
  private closedByUs = false;

  private constructor(
    private readonly socket: Socket,
    readonly paths: AgentPaths,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // 'close' follows and fails what is open
    socket.on('close', () => this.failAll(this.closedByUs ? 'connection was closed' : 'closed the connection (it stopped or crashed)'));
  }

  /** Connects after checking that the socket and its directory are this user's alone. */
  static open(paths: AgentPaths, timeoutMs = CONNECT_TIMEOUT_MS): Promise<AgentConnection> {
    try {
      // The directory first: one planted by someone else is refused even before it has a socket.
      const problems = directoryProblems(paths.dir);
      if (problems.length === 0) problems.push(...socketProblems(paths.socket));
      if (problems.length > 0) return Promise.reject(new AgentInsecure(problems));
    } catch (error) {
      // ENOTDIR: the home is a file; then the command itself reports that home, in-process.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return Promise.reject(new AgentNotRunning(paths.socket, 'no-socket'));
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const socket = createConnection(paths.socket);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error(`connecting timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? new AgentNotRunning(paths.socket, 'stale') : error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new AgentConnection(socket, paths));
      });
    });
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  request<T = unknown>(op: string, args: unknown[] = [], options: RequestOptions = {}): Promise<T> {
    if (this.failure) return this.failure.then((error) => Promise.reject(error));
    if (this.socket.destroyed) return agentGone(op, 'closed the connection').then((error) => Promise.reject(error));
    const id = this.nextId++;
    const io = options.io ? ioContext(options.io) : undefined;
    const message: ClientMessage = {
      v: PROTOCOL_VERSION,
      type: 'request',
      id,
      op,
      args,
      ...(options.ctx ? { ctx: options.ctx } : {}),
      ...(io ? { io } : {}),
    };
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { op, resolve: resolve as (value: unknown) => void, reject };
      if (options.io) entry.io = options.io;
      if (options.onProgress) entry.onProgress = options.onProgress;
      if (options.onWarning) entry.onWarning = options.onWarning;
      this.pending.set(id, entry);
      const { signal } = options;
      if (signal) {
        const abort = (): void => {
          if (!this.pending.delete(id)) return;
          this.send({ v: PROTOCOL_VERSION, type: 'cancel', id });
          void vaultError('ABORTED', 'The operation was cancelled.', { fix: { action: 'retry' } }).then(reject);
        };
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
      }
      this.send(message);
      this.armSilenceTimer();
    });
  }

  close(): void {
    this.closedByUs = true;
    this.socket.end();
    this.socket.destroy();
  }

  private send(message: ClientMessage): void {
    if (!this.socket.destroyed) this.socket.write(encode(message));
  }

  private onData(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.decoder.push(chunk);
    } catch {
      this.fatal(
        vaultError('AGENT_UNAVAILABLE', 'The vaultlink agent sent a message larger than the client accepts.', {
          fix: { action: 'agent', command: 'restart' },
        }),
      );
      return;
    }
    this.armSilenceTimer();
    for (const line of lines) {
      let message: AgentMessage;
      try {
        message = JSON.parse(line) as AgentMessage;
      } catch {
        this.fatal(
          vaultError('AGENT_UNAVAILABLE', 'The vaultlink agent sent something that is not a protocol message.', {
            fix: { action: 'agent', command: 'restart' },
          }),
        );
        return;
      }
      if (!message || message.v !== PROTOCOL_VERSION) {
        this.fatal(incompatible(message?.v, PROTOCOL_VERSION));
        return;
      }
      this.route(message);
    }
  }

  private route(message: AgentMessage): void {
    if (message.type === 'alive') return;
    const entry = this.pending.get(message.id);
    if (!entry) return; // cancelled meanwhile
    if (message.type === 'progress') entry.onProgress?.(message.done, message.total);
    else if (message.type === 'warning') entry.onWarning?.(message.warning);
    else if (message.type === 'io') void this.runIo(message.id, message.seq, message.call, message.args, entry);
    else {
      this.pending.delete(message.id);
      if (message.ok) entry.resolve(message.result);
      else void fromSerialized(message.error).then(entry.reject, entry.reject);
      this.armSilenceTimer();
    }
  }

  /** Runs one io call of the agent on this client's ProviderIO; prompt and openBrowser are answered. */
  private async runIo(id: number, seq: number, call: string, args: unknown[], entry: Pending): Promise<void> {
    const io = entry.io;
    const text = String(args[0] ?? '');
    if (call === 'info' || call === 'warn' || call === 'progress') {
      io?.[call](text);
      return;
    }
    try {
      if (!io)
        throw await vaultError('INTERNAL', `The agent asked for ${call}, but this request has no terminal attached.`, {
          fix: { action: 'report', package: '@vault/agent' },
        });
      const value =
        call === 'prompt'
          ? await io.prompt(text, (args[1] ?? {}) as { secret?: boolean; default?: string })
          : call === 'openBrowser'
            ? await io.openBrowser(text)
            : undefined;
      this.send({ v: PROTOCOL_VERSION, type: 'io-reply', id, seq, ok: true, ...(value === undefined ? {} : { value }) });
    } catch (error) {
      this.send({
        v: PROTOCOL_VERSION,
        type: 'io-reply',
        id,
        seq,
        ok: false,
        error: serializeError(error, `The ${call} step failed on the client.`),
      });
    }
  }

  private armSilenceTimer(): void {
    if (this.silence) clearTimeout(this.silence);
    this.silence = undefined;
    if (this.pending.size === 0) return;
    this.silence = setTimeout(
      () => this.fatal(agentGone(this.firstOp(), `said nothing for ${SILENCE_LIMIT_MS / 1000} s (it hangs or was stopped)`)),
      SILENCE_LIMIT_MS,
    );
    this.silence.unref();
  }

  private firstOp(): string {
    return this.pending.values().next().value?.op ?? 'request';
  }

  private fatal(error: Promise<VaultError>): void {
    this.failure ??= error;
    this.socket.destroy();
  }

  private failAll(why: string): void {
    if (this.silence) clearTimeout(this.silence);
    const open = [...this.pending.values()];
    this.pending.clear();
    for (const entry of open) {
      const error = this.failure ?? agentGone(entry.op, why);
      void error.then(entry.reject, entry.reject);
    }
  }
}

/** What the agent needs to act as this ProviderIO: the passphrase and data key never travel. */
function ioContext(io: ProviderIO): IoContext {
  const env: Record<string, string | undefined> = { ...io.env };
  delete env.VAULTLINK_PASSPHRASE;
  delete env.VAULTLINK_KEY;
  return { interactive: io.interactive, noBrowser: io.noBrowser === true, env };
}
