/**
 * The agent protocol: newline-delimited JSON over the Unix socket, every message carrying
 * the protocol version `v`. A client sends requests (many may be in flight on one
 * connection, matched by `id`); the agent answers each with one response, and may first
 * send `io` calls (a provider's prompt, openBrowser, info/warn/progress during sign-in) that
 * the client runs and answers with `io-reply`, `progress` of a batch resolve, and `warning`s of
 * the store met while serving it (a rolled-back vault file). While any
 * request is open the agent sends `alive` every few seconds, so a client can tell a slow
 * upstream from an agent that stopped.
 *
 * Errors travel as data (VaultError.toJSON()) and are rebuilt with VaultError.fromJSON().
 */
import type { StoreWarning } from '@vault/core';

/** Bump on any change a peer of the previous version would misread. */
export const PROTOCOL_VERSION = 1;

/** Largest message the agent accepts from a client (names to resolve, prompt answers). */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** Largest message a client accepts from the agent (values can be large documents). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** A message must be complete this long after its first byte (slow-trickle guard). */
export const MESSAGE_DEADLINE_MS = 10_000;
/** How often the agent says it is alive while requests are open. */
export const HEARTBEAT_MS = 3_000;
/** A client gives up on an agent that said nothing for this long while it waits. */
export const SILENCE_LIMIT_MS = 20_000;

/** An error as it arrives: VaultError.toJSON() from a peer, checked by VaultError.fromJSON() on receipt. */
export interface SerializedError {
  name?: string;
  code: string;
  message: string;
  issues?: unknown;
  fix?: unknown;
  provider?: unknown;
  retryAfterSeconds?: unknown;
  details?: unknown;
}

/** What the client tells the agent about where it runs (provider packages, team config). */
export interface RequestContext {
  cwd: string;
  /** Directories the client itself resolves provider packages from. */
  resolveFrom: string[];
  /** The client's VAULTLINK_TEAM_CONFIG (relative to `cwd`), when set; else the team config is looked up from `cwd`. */
  teamConfig?: string;
}

/** The client's side of ProviderIO, for requests that may sign in (connect, reauth, setup, ...). */
export interface IoContext {
  interactive: boolean;
  noBrowser: boolean;
  env: Record<string, string | undefined>;
}

export type ClientMessage =
  | { v: number; type: 'request'; id: number; op: string; args?: unknown[]; ctx?: RequestContext; io?: IoContext }
  | { v: number; type: 'io-reply'; id: number; seq: number; ok: boolean; value?: unknown; error?: SerializedError }
  | { v: number; type: 'cancel'; id: number };

export type IoCall = 'prompt' | 'openBrowser' | 'info' | 'warn' | 'progress';

export type AgentMessage =
  | { v: number; type: 'response'; id: number; ok: true; result?: unknown }
  | { v: number; type: 'response'; id: number; ok: false; error: SerializedError }
  | { v: number; type: 'io'; id: number; seq: number; call: IoCall; args: unknown[] }
  | { v: number; type: 'progress'; id: number; done: number; total: number }
  /** A store warning met while serving the request (e.g. VAULT_ROLLBACK); the request goes on. */
  | { v: number; type: 'warning'; id: number; warning: WireWarning }
  | { v: number; type: 'alive' };

/** A store warning as it travels: its code and message, and the generations of a rollback. */
export interface WireWarning {
  code: string;
  message: string;
  generation?: number;
  expected?: number;
  /** Where the mark the file fell below came from: 'keychain', 'this process' (the agent) or 'caller'. */
  markSource?: string;
}

/** A store warning as it travels (to a socket client, or to the web UI). */
export function wireWarning(warning: StoreWarning): WireWarning {
  return {
    code: warning.code,
    message: warning.message,
    ...(warning.code === 'VAULT_ROLLBACK'
      ? { generation: warning.generation, expected: warning.expected, markSource: warning.markSource }
      : {}),
  };
}

export function encode(message: ClientMessage | AgentMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * Splits a byte stream into lines without ever holding more than `maxBytes` of one message.
 * `push` returns the complete lines; it throws MessageTooLarge past the limit.
 */
export class LineDecoder {
  private parts: Buffer[] = [];
  private pending = 0;

  constructor(private readonly maxBytes: number) {}

  /** Bytes of an unfinished message held right now. */
  get buffered(): number {
    return this.pending;
  }

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, at);
      if (this.pending + piece.length > this.maxBytes) throw new MessageTooLarge(this.maxBytes);
      this.parts.push(piece);
      lines.push(Buffer.concat(this.parts).toString('utf8'));
      this.parts = [];
      this.pending = 0;
      start = at + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.pending + rest.length > this.maxBytes) throw new MessageTooLarge(this.maxBytes);
      // Copy: the socket may reuse its buffer.
      this.parts.push(Buffer.from(rest));
      this.pending += rest.length;
    }
    return lines;
  }
}

export class MessageTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`message larger than ${limit} bytes`);
    this.name = 'MessageTooLarge';
  }
}

/** VaultApi methods a client may call through the agent. */
export const VAULT_OPS = [
  'setLocal',
  'link',
  'setAllowedDomains',
  'remove',
  'rename',
  'setEnabled',
  'list',
  'show',
  'describe',
  'entry',
  'connect',
  'reauth',
  'disconnect',
  'logout',
  'integrations',
  'session',
  'setup',
  'getCacheExpiryMinutes',
  'setCacheExpiryMinutes',
  'resetCache',
  'resolveNames',
  'get',
] as const;

export type VaultOp = (typeof VAULT_OPS)[number];

/** Ops that may sign in or talk to the person: they run with the client's ProviderIO and environment. */
export const IO_OPS: ReadonlySet<string> = new Set(['connect', 'reauth', 'disconnect', 'logout', 'setup']);

/** What `status` returns. Never a value. */
export interface AgentStatus {
  pid: number;
  version: string;
  protocol: number;
  startedAt: string;
  uptimeSeconds: number;
  home: string;
  socket: string;
  locked: boolean;
  /** Minutes without a request before the agent locks; 0 never. */
  idleLockMinutes: number;
  /** When it will lock if nothing happens (unlocked only). */
  locksAt?: string;
  /** Upstream reads (provider readDocument / readBatch calls) since start, for cache diagnostics. */
  upstreamReads: number;
  /** Vault requests being served right now. */
  requestsInFlight: number;
  /** The agent process's memory, in MiB: resident now, resident at its peak, JS heap in use. */
  memory: { rssMiB: number; peakRssMiB: number; heapUsedMiB: number };
  providers: Array<{
    provider: string;
    organization: string;
    principal: string;
    expiresAt: string | null;
    expired: boolean;
    renewsAt?: string;
  }>;
  cache: {
    /** Null while locked (the setting is inside the encrypted vault). */
    expiryMinutes: number | null;
    maxEntries: number;
    entries: Array<{ provider: string; names: string[]; ageSeconds: number; expiresInSeconds: number }>;
  };
}

/** What the `ui` request answers: a one-time URL of the web UI the agent serves on loopback. */
export interface UiLink {
  url: string;
  port: number;
  /** When the one-time token stops working (ISO time). */
  expiresAt: string;
}
