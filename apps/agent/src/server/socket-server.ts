/**
 * The agent's side of the socket. Each connection is read line by line with hard limits, so a
 * client cannot hurt the agent or the other clients: a message above MAX_REQUEST_BYTES, a
 * message not finished within MESSAGE_DEADLINE_MS (a slow trickle), bytes that are not JSON
 * or a wrong protocol version get one error answer and the connection closed; a connection
 * that stops reading its answers is dropped before its backlog grows; at most
 * MAX_CONNECTIONS connections are open. Requests run concurrently and independently.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { ProviderIO } from '@vault/core';
import {
  HEARTBEAT_MS,
  LineDecoder,
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  MESSAGE_DEADLINE_MS,
  MessageTooLarge,
  PROTOCOL_VERSION,
  encode,
  type AgentMessage,
  type ClientMessage,
  type IoContext,
  type RequestContext,
  type SerializedError,
  wireWarning,
} from '../shared/protocol.js';
import { fromSerialized, serializeError } from '../shared/wire-errors.js';
import { describeUnexpected, type AgentLog } from './log.js';
import { remoteIO, type IoChannel } from './remote-io.js';
import type { AgentService } from './service.js';

export const MAX_CONNECTIONS = 512;
/** A connection with no request open is closed after this long (the client reconnects on demand). */
const IDLE_CONNECTION_MS = 60_000;

export function createAgentServer(service: AgentService, log: AgentLog): { server: Server; closeAll(): void } {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: false }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new ClientConnection(socket, service, log);
  });
  server.maxConnections = MAX_CONNECTIONS;
  return {
    server,
    closeAll() {
      for (const socket of sockets) socket.destroy();
    },
  };
}

interface OpenRequest {
  controller: AbortController;
  waiting: Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>;
  nextSeq: number;
}

class ClientConnection {
  private readonly decoder = new LineDecoder(MAX_REQUEST_BYTES);
  private readonly open = new Map<number, OpenRequest>();
  private deadline: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  /** Set once the connection was refused: what else it sends is read and thrown away until it closes. */
  private refused = false;

  constructor(
    private readonly socket: Socket,
    private readonly service: AgentService,
    private readonly log: AgentLog,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
    this.armIdle();
  }

  private onData(chunk: Buffer): void {
    if (this.refused) return;
    let lines: string[];
    try {
      lines = this.decoder.push(chunk);
    } catch (error) {
      this.refuse(
        0,
        error instanceof MessageTooLarge ? 'too-large' : 'unreadable',
        `A message to the agent may not exceed ${MAX_REQUEST_BYTES} bytes.`,
      );
      return;
    }
    for (const line of lines) {
      if (this.socket.destroyed || this.refused) return;
      this.onLine(line);
    }
    // A partial message must complete in time, or the connection goes (slow-trickle guard).
    if (this.decoder.buffered > 0 && !this.deadline) {
      this.deadline = setTimeout(
        () => this.refuse(0, 'slow', `A message to the agent must arrive within ${MESSAGE_DEADLINE_MS / 1000} s.`),
        MESSAGE_DEADLINE_MS,
      );
    } else if (this.decoder.buffered === 0 && this.deadline) {
      clearTimeout(this.deadline);
      this.deadline = undefined;
    }
  }

  private onLine(line: string): void {
    let message: ClientMessage;
    try {
      message = JSON.parse(line) as ClientMessage;
    } catch {
      this.refuse(0, 'not-json', 'The agent only understands its JSON protocol.');
      return;
    }
    if (!message || typeof message !== 'object' || message.v !== PROTOCOL_VERSION) {
      const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : 0;
      this.refuseVersion(id, (message as { v?: unknown })?.v);
      return;
    }
    if (message.type === 'request' && Number.isSafeInteger(message.id) && typeof message.op === 'string') void this.serve(message);
    else if (message.type === 'io-reply') this.answer(message);
    else if (message.type === 'cancel') this.open.get(message.id)?.controller.abort();
    else this.refuse(0, 'malformed', 'The agent received a message it does not know.');
  }

  private async serve(message: Extract<ClientMessage, { type: 'request' }>): Promise<void> {
    if (this.open.has(message.id)) return this.refuse(message.id, 'duplicate-id', 'A request id was reused while still open.');
    const request: OpenRequest = { controller: new AbortController(), waiting: new Map(), nextSeq: 1 };
    this.open.set(message.id, request);
    this.onOpenChanged();
    let reply: AgentMessage;
    try {
      const io = message.io && typeof message.io === 'object' ? this.ioFor(message.id, request, message.io) : undefined;
      const result = await this.service.handle(
        message.op,
        Array.isArray(message.args) ? message.args.map((a) => (a === null ? undefined : a)) : [],
        {
          ...(validContext(message.ctx) ? { ctx: message.ctx } : {}),
          ...(io ? { io } : {}),
          signal: request.controller.signal,
          onProgress: (done, total) => this.send({ v: PROTOCOL_VERSION, type: 'progress', id: message.id, done, total }),
          onWarning: (warning) => this.send({ v: PROTOCOL_VERSION, type: 'warning', id: message.id, warning: wireWarning(warning) }),
        },
      );
      reply = { v: PROTOCOL_VERSION, type: 'response', id: message.id, ok: true, result };
    } catch (error) {
      if (!(error instanceof Error && error.name === 'VaultError'))
        this.log.event('request-failed', { op: message.op, error: describeUnexpected(error) });
      reply = {
        v: PROTOCOL_VERSION,
        type: 'response',
        id: message.id,
        ok: false,
        error: serializeError(error, `The agent failed on \`${message.op}\` unexpectedly.`),
      };
    }
    this.open.delete(message.id);
    this.onOpenChanged();
    try {
      this.send(reply);
    } catch (error) {
      // A result that cannot be encoded must not take the agent down (a provider returned something odd).
      this.log.event('request-failed', { op: message.op, error: describeUnexpected(error) });
      this.send({
        v: PROTOCOL_VERSION,
        type: 'response',
        id: message.id,
        ok: false,
        error: serializeError(error, `The agent could not encode the answer to \`${message.op}\`.`),
      });
    }
  }

  /** ProviderIO of this request, carried over the connection (see remote-io.ts). */
  private ioFor(id: number, request: OpenRequest, context: IoContext): ProviderIO {
    const channel: IoChannel = {
      ask: (call, args) =>
        new Promise((resolve, reject) => {
          const seq = request.nextSeq++;
          request.waiting.set(seq, { resolve, reject });
          this.send({ v: PROTOCOL_VERSION, type: 'io', id, seq, call, args });
        }),
      tell: (call, text) => this.send({ v: PROTOCOL_VERSION, type: 'io', id, seq: 0, call, args: [String(text)] }),
    };
    return remoteIO(context, channel);
  }

  private answer(message: Extract<ClientMessage, { type: 'io-reply' }>): void {
    const waiting = this.open.get(message.id)?.waiting;
    const entry = waiting?.get(message.seq);
    if (!waiting || !entry) return;
    waiting.delete(message.seq);
    if (message.ok) entry.resolve(message.value);
    else {
      void fromSerialized(message.error ?? { code: 'INTERNAL', message: 'The client failed to answer.' }).then(entry.reject, entry.reject);
    }
  }

  private send(message: AgentMessage): void {
    if (this.socket.destroyed) return;
    // A client that does not read its answers must not make the agent buffer without bound.
    if (this.socket.writableLength > MAX_RESPONSE_BYTES) {
      this.log.event('connection-dropped', { reason: 'not-reading' });
      this.socket.destroy();
      return;
    }
    this.socket.write(encode(message));
  }

  /** A request the agent will not serve: one INVALID_INPUT answer, then the connection is closed. */
  private refuse(id: number, reason: string, message: string): void {
    this.refuseWith(
      id,
      { reason },
      {
        name: 'VaultError',
        code: 'INVALID_INPUT',
        message,
        fix: { action: 'manual', text: 'use the vaultlink CLI or @vault/agent/client to talk to the agent' },
      },
    );
  }

  private refuseVersion(id: number, theirs: unknown): void {
    this.refuseWith(
      id,
      { reason: 'protocol-version', theirs: String(theirs) },
      {
        name: 'VaultError',
        code: 'AGENT_INCOMPATIBLE',
        message: `The running vaultlink agent speaks protocol version ${PROTOCOL_VERSION}, and this client speaks version ${String(theirs)} (one of them was upgraded).`,
        // Free text: a client of another version may not know this version's fix actions.
        fix: {
          action: 'manual',
          text: 'vaultlink agent stop, then run the command again (or vaultlink agent start) so the agent of the installed version starts',
        },
        details: { agentProtocol: PROTOCOL_VERSION, clientProtocol: theirs },
      },
    );
  }

  /** One error answer, then the connection is closed; what else arrives is thrown away. */
  private refuseWith(id: number, logged: Record<string, string>, error: SerializedError): void {
    if (this.refused) return;
    this.refused = true;
    if (this.deadline) clearTimeout(this.deadline);
    this.log.event('connection-refused', logged);
    this.send({ v: PROTOCOL_VERSION, type: 'response', id, ok: false, error });
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private onOpenChanged(): void {
    if (this.open.size > 0 && !this.heartbeat) {
      this.heartbeat = setInterval(() => this.send({ v: PROTOCOL_VERSION, type: 'alive' }), HEARTBEAT_MS);
      this.heartbeat.unref();
    } else if (this.open.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
    this.armIdle();
  }

  private armIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    if (this.open.size > 0) return;
    this.idle = setTimeout(() => this.socket.end(), IDLE_CONNECTION_MS);
    this.idle.unref();
  }

  private onClose(): void {
    for (const timer of [this.deadline, this.idle]) if (timer) clearTimeout(timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const request of this.open.values()) {
      request.controller.abort();
      for (const waiting of request.waiting.values()) waiting.reject(new Error('the client went away'));
    }
    this.open.clear();
  }
}

function validContext(ctx: unknown): ctx is RequestContext {
  const c = ctx as RequestContext | undefined;
  return (
    !!c &&
    typeof c.cwd === 'string' &&
    Array.isArray(c.resolveFrom) &&
    c.resolveFrom.every((d) => typeof d === 'string') &&
    (c.teamConfig === undefined || typeof c.teamConfig === 'string')
  );
}
