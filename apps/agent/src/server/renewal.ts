/**
 * Renews sessions before they expire, so a client never meets an expired session that could
 * have renewed itself (refresh tokens, renewable Vault tokens, temporary AWS credentials).
 * Each session is renewed a third of its lifetime before expiry (at least 2 s, at most
 * 5 min before). A failed renewal is retried once halfway to expiry; after that the next
 * request meets REAUTH_REQUIRED as usual, naming `vaultlink reauth`.
 */
import type { Session } from '@vault/core';
import type { AgentLog } from './log.js';

export interface RenewalTarget {
  /** Integrations' sessions, read from the current vault. */
  sessions(): Promise<Session[]>;
  /** Whether the provider can renew without a person (has `refresh`). */
  canRenew(providerId: string): Promise<boolean>;
  renew(providerId: string): Promise<Session | undefined>;
}

const MIN_LEAD_MS = 2_000;
const MAX_LEAD_MS = 5 * 60_000;

export class SessionRenewal {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  private stopped = false;

  constructor(
    private readonly target: RenewalTarget,
    private readonly log: AgentLog,
  ) {}

  /** When each provider's session will be renewed (for `agent status`). */
  renewsAt(providerId: string): number | undefined {
    return this.timers.get(providerId)?.at;
  }

  /** Plans a timer per renewable session with an expiry; call after anything may have changed sessions. */
  async plan(): Promise<void> {
    try {
      await this.planNow();
    } catch (error) {
      this.log.event('renewal-plan-failed', { code: (error as { code?: string }).code ?? 'INTERNAL' });
    }
  }

  private async planNow(): Promise<void> {
    const sessions = await this.target.sessions();
    const seen = new Set<string>();
    for (const session of sessions) {
      if (!session.expiresAt || session.data === null) continue;
      if (!(await this.target.canRenew(session.provider).catch(() => false))) continue;
      seen.add(session.provider);
      const expiresAt = Date.parse(session.expiresAt);
      const createdAt = Date.parse(session.createdAt);
      const lifetime = Number.isNaN(createdAt) ? expiresAt - Date.now() : expiresAt - createdAt;
      const lead = Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, lifetime / 3));
      this.schedule(session.provider, expiresAt - lead, expiresAt);
    }
    for (const provider of [...this.timers.keys()]) if (!seen.has(provider)) this.cancel(provider);
  }

  stop(): void {
    this.stopped = true;
    for (const provider of [...this.timers.keys()]) this.cancel(provider);
  }

  private schedule(provider: string, at: number, expiresAt: number, retry = false): void {
    if (this.stopped) return;
    const current = this.timers.get(provider);
    if (current && current.at === at) return;
    this.cancel(provider);
    const timer = setTimeout(() => void this.renew(provider, expiresAt, retry), Math.max(0, at - Date.now()));
    timer.unref();
    this.timers.set(provider, { timer, at });
  }

  private cancel(provider: string): void {
    const current = this.timers.get(provider);
    if (current) clearTimeout(current.timer);
    this.timers.delete(provider);
  }

  private async renew(provider: string, expiresAt: number, retried: boolean): Promise<void> {
    this.timers.delete(provider);
    try {
      const renewed = await this.target.renew(provider);
      const next = renewed?.expiresAt ? Date.parse(renewed.expiresAt) : undefined;
      this.log.event('session-renewed', { provider, expiresAt: renewed?.expiresAt ?? undefined });
      // A session that cannot be extended any more (a token at its max TTL) is left to expire.
      if (next !== undefined && next > expiresAt) await this.plan();
    } catch (error) {
      this.log.event('session-renewal-failed', { provider, code: (error as { code?: string }).code ?? 'INTERNAL' });
      if (!retried && expiresAt - Date.now() > MIN_LEAD_MS)
        this.schedule(provider, Date.now() + (expiresAt - Date.now()) / 2, expiresAt, true);
    }
  }
}
