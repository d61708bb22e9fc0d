/**
 * Who may use the UI: a one-time token (printed or opened by `vaultlink ui`, like Jupyter's
 * `?token=`) is exchanged once for a session cookie (HttpOnly, SameSite=Strict) and is void
 * from then on. Each session has its own CSRF token, which the page reads once with its
 * cookie and sends on every state-changing request. Tokens and session ids are kept as
 * SHA-256 digests, so a lookup compares digests, never the secret itself.
 */
import { createHash, randomBytes } from 'node:crypto';

/** How long a printed one-time URL stays usable. */
export const TOKEN_TTL_MS = 10 * 60_000;
/** A session unused this long is forgotten (the page then gets 401 and asks for `vaultlink ui`). */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
/** Bounds on what a client can make the agent remember. */
const MAX_TOKENS = 64;
const MAX_SESSIONS = 64;

export interface UiSession {
  csrfToken: string;
  lastSeen: number;
}

const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const randomSecret = (): string => randomBytes(32).toString('base64url');

export class UiAuth {
  private readonly tokens = new Map<string, number>();
  private readonly sessions = new Map<string, UiSession>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new one-time token; the oldest unused ones go when too many are waiting. */
  mintToken(): { token: string; expiresAt: number } {
    this.prune();
    while (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    const token = randomSecret();
    const expiresAt = this.now() + TOKEN_TTL_MS;
    this.tokens.set(digest(token), expiresAt);
    return { token, expiresAt };
  }

  /** Spends a token: a session id for a valid unused one, else undefined. A token works once. */
  exchange(token: string): string | undefined {
    const key = digest(token);
    const expiresAt = this.tokens.get(key);
    this.tokens.delete(key);
    if (expiresAt === undefined || expiresAt < this.now()) return undefined;
    this.prune();
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const sessionId = randomSecret();
    this.sessions.set(digest(sessionId), { csrfToken: randomSecret(), lastSeen: this.now() });
    return sessionId;
  }

  /** The session of a cookie value, refreshed; undefined when unknown or idle too long. */
  session(sessionId: string | undefined): UiSession | undefined {
    if (!sessionId) return undefined;
    const key = digest(sessionId);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.lastSeen + SESSION_IDLE_MS < this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeen = this.now();
    return session;
  }

  /** Forgets every token and session (the UI server stops). */
  clear(): void {
    this.tokens.clear();
    this.sessions.clear();
  }

  private prune(): void {
    const now = this.now();
    for (const [key, expiresAt] of this.tokens) if (expiresAt < now) this.tokens.delete(key);
    for (const [key, session] of this.sessions) if (session.lastSeen + SESSION_IDLE_MS < now) this.sessions.delete(key);
  }
}
