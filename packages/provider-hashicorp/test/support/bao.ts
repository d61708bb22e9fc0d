/**
 * Test support against the OpenBao peer: the env contract (requirePeer), the harness's
 * seeder, an audit-log request counter, and a "browser" that plays Vault's authorize step.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { AnyProvider, Session } from '@vault/core/provider';
import { requirePeer, type OpenBaoPeer } from '../../../../tools/peers/require-peer.mjs';
import { openBaoSeeder, type OpenBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { recordingIO } from './io.js';

export function openBaoPeer(): OpenBaoPeer {
  const peer = requirePeer('openbao');
  if (!peer) throw new Error('VAULTLINK_SKIP_PEERS=1: these tests need the OpenBao peer');
  return peer;
}

export function seeder(peer: OpenBaoPeer = openBaoPeer()): OpenBaoSeeder {
  return openBaoSeeder(peer);
}

export const uniq = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

interface AuditEntry {
  type: string;
  auth?: { display_name?: string; policies?: string[] };
  request?: { path?: string; operation?: string; namespace?: { path?: string } };
}

/**
 * Counts OpenBao requests from the audit log (one 'response' entry per request), from the
 * byte offset of the last reset on. `match` picks the requests that count, e.g. by the token's
 * display name, so requests of other tests or of the seeder are not counted.
 */
export class AuditCounter {
  private offset = 0;
  constructor(
    private readonly file: string,
    private readonly match: (entry: AuditEntry) => boolean,
  ) {}

  reset(): void {
    this.offset = statSync(this.file).size;
  }

  entries(): AuditEntry[] {
    const size = statSync(this.file).size;
    const length = size - this.offset;
    if (length <= 0) return [];
    const buffer = Buffer.alloc(length);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, length, this.offset);
    } finally {
      closeSync(fd);
    }
    return buffer
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEntry)
      .filter((e) => e.type === 'response' && this.match(e));
  }

  count(): number {
    return this.entries().length;
  }

  paths(): string[] {
    return this.entries().map((e) => e.request?.path ?? '?');
  }
}

export function auditCounter(peer: OpenBaoPeer, displayNamePrefix: string): AuditCounter {
  if (!peer.auditLog) throw new Error('PEER_OPENBAO_AUDIT_LOG is not set: the harness declares a file audit device for request counting');
  return new AuditCounter(peer.auditLog, (e) => (e.auth?.display_name ?? '').startsWith(displayNamePrefix));
}

/** A provider session for an existing token, made by the provider's own token method. */
export async function tokenSession(provider: AnyProvider, peer: OpenBaoPeer, token: string, namespace?: string): Promise<Session> {
  return provider.authenticate({ method: 'token', token, vaultAddr: peer.addr, ...(namespace ? { namespace } : {}) }, recordingIO(), {});
}

/**
 * Plays the browser for Vault's OIDC provider: Vault's authorize endpoint answers JSON
 * {code, state} to a request with the signed-in user's token, instead of redirecting,
 * so we call it with the exact query vaultlink built and deliver the code to the redirect.
 */
export async function playBrowser(authorizationUrl: string, userToken: string, namespace?: string): Promise<{ redirectStatus: number }> {
  const url = new URL(authorizationUrl);
  // Discovery advertises the UI route (/ui/vault/identity/...); the API route is /v1/identity/...
  const apiPath = url.pathname.replace(/^\/ui\/vault\//, '/v1/');
  const authorize = await fetch(`${url.origin}${apiPath}${url.search}`, {
    headers: { 'X-Vault-Token': userToken, ...(namespace ? { 'X-Vault-Namespace': namespace } : {}) },
  });
  const body = (await authorize.json()) as { code?: string; state?: string; errors?: string[] };
  if (!authorize.ok || !body.code) throw new Error(`authorize failed: HTTP ${authorize.status} ${JSON.stringify(body.errors ?? body)}`);
  const redirect = new URL(url.searchParams.get('redirect_uri')!);
  redirect.searchParams.set('code', body.code);
  redirect.searchParams.set('state', body.state ?? '');
  const response = await fetch(redirect);
  await response.text();
  return { redirectStatus: response.status };
}

/** The guide's example read policy, verbatim. */
export const SEED_READ_POLICY =
  'path "*" { capabilities=["read"] } path "sys/*" { capabilities=["deny"] } path "auth/*" { capabilities=["deny"] }';

/** The guide's admin policy, verbatim (with its leading slashes). */
export const SEED_ADMIN_POLICY = `path "/identity/oidc/client/*" {
  capabilities=["create", "read"]
}

path "/identity/oidc/provider/*" {
  capabilities=["create", "read"]
}

path "/sys/auth/*" {
  capabilities=["sudo", "update"]
}

path "/auth/*" {
  capabilities=["update", "create"]
}

path "/sys/policy/*" {
  capabilities=["update"]
}
`;

/** A free loopback port for a redirect URI (Vault matches it exactly, so tests pick their own). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
