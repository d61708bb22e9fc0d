/**
 * Vault logins (JWT with the OIDC ID token, AppRole, an existing token) and the token
 * lifecycle (lookup-self, renew-self, revoke-self). Each login ends in a lookup-self so
 * the session is built from what Vault says about the token, not from what we hoped.
 */
import { VaultError, type Session, type SignOutResult } from '@vault/core/provider';
import { vaultConnection, type CallOptions, type ClientFactory, type VaultConnection } from './client.js';
import { describeFailure, targetOf, toVaultError, where } from './errors.js';
import { CONNECT_FIX, PROVIDER_ID, REAUTH_FIX, type ConnectMethod } from './options.js';

/** What core stores (encrypted) for this provider. The token is a credential, never a secret value. */
export interface HashicorpSessionData {
  token: string;
  accessor: string;
  renewable: boolean;
  vaultAddr: string;
  namespace?: string;
  caCert?: string;
  method: ConnectMethod;
  /** JWT/AppRole mount and role, for `reauth` messages. */
  authPath?: string;
  role?: string;
}

export type HashicorpSession = Session<HashicorpSessionData>;

interface TokenInfo {
  accessor: string;
  displayName: string;
  entityId?: string;
  policies: string[];
  ttl: number;
  renewable: boolean;
  expireTime?: string;
}

export class VaultLogin {
  constructor(private readonly clients: ClientFactory) {}

  /** `auth/<jwtPath>/login` with the role and the validated ID token. Returns the Vault token. */
  async loginWithJwt(connection: VaultConnection, jwtPath: string, role: string, jwt: string, options: CallOptions): Promise<string> {
    const calls = await this.clients.create(connection);
    const path = `auth/${jwtPath}/login`;
    try {
      const body = await calls.write(path, { role, jwt }, options);
      return clientToken(body, path);
    } catch (error) {
      throw loginError(error, path, connection, options, `the JWT role "${role}" on auth/${jwtPath}`);
    }
  }

  async loginWithAppRole(
    connection: VaultConnection,
    approlePath: string,
    roleId: string,
    secretId: string,
    options: CallOptions,
  ): Promise<string> {
    const calls = await this.clients.create(connection);
    const path = `auth/${approlePath}/login`;
    try {
      const body = await calls.write(path, { role_id: roleId, secret_id: secretId }, options);
      return clientToken(body, path);
    } catch (error) {
      throw loginError(error, path, connection, options, `the AppRole auth method at auth/${approlePath}`);
    }
  }

  /** lookup-self: 403 means the token is not (or no longer) valid. */
  async lookupSelf(connection: VaultConnection, token: string, options: CallOptions): Promise<TokenInfo> {
    const calls = await this.clients.create(connection, token);
    const body = await calls.read('auth/token/lookup-self', options);
    const d = (body?.data ?? {}) as Record<string, unknown>;
    return {
      accessor: typeof d['accessor'] === 'string' ? d['accessor'] : '',
      displayName: typeof d['display_name'] === 'string' ? d['display_name'] : 'token',
      ...(typeof d['entity_id'] === 'string' && d['entity_id'] ? { entityId: d['entity_id'] } : {}),
      policies: Array.isArray(d['policies']) ? (d['policies'] as string[]) : [],
      ttl: typeof d['ttl'] === 'number' ? d['ttl'] : 0,
      renewable: d['renewable'] === true,
      ...(typeof d['expire_time'] === 'string' && d['expire_time'] ? { expireTime: d['expire_time'] } : {}),
    };
  }

  /** True/false when Vault says whether the token is valid; undefined when it could not tell. */
  async isTokenValid(connection: VaultConnection, token: string, options: CallOptions): Promise<boolean | undefined> {
    try {
      await this.lookupSelf(connection, token, options);
      return true;
    } catch (error) {
      const status = describeFailure(error).status;
      if (status === 401 || status === 403) return false;
      // Unreachable / cancelled: the caller keeps the original failure and says it could not tell.
      return undefined;
    }
  }

  /** Builds the session from lookup-self. Fails with AUTH_FAILED when Vault rejects the token. */
  async sessionFor(
    connection: VaultConnection,
    token: string,
    method: ConnectMethod,
    extra: { authPath?: string; role?: string },
    options: CallOptions,
  ): Promise<HashicorpSession> {
    let info: TokenInfo;
    try {
      info = await this.lookupSelf(connection, token, options);
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.status === 403 || failure.status === 401) {
        throw new VaultError(
          'AUTH_FAILED',
          `Vault at ${where(connection)} rejected the token (it is invalid or expired, or lacks the default policy's auth/token/lookup-self).`,
          {
            provider: PROVIDER_ID,
            details: { status: failure.status },
            fix: method === 'token' ? { ...CONNECT_FIX, hint: 'get a fresh token first (vault login / bao login)' } : CONNECT_FIX,
          },
        );
      }
      throw toVaultError(error, {
        action: 'look up the new token',
        path: 'auth/token/lookup-self',
        ...targetOf(connection),
        ...signalOf(options),
      });
    }
    const now = Date.now();
    return {
      provider: PROVIDER_ID,
      organization: where(connection),
      principal: `${info.displayName}${info.entityId ? ` (entity ${info.entityId})` : ''}${info.policies.length ? `, policies ${info.policies.join(', ')}` : ''}`,
      expiresAt: info.ttl > 0 ? (info.expireTime ?? new Date(now + info.ttl * 1000).toISOString()) : null,
      createdAt: new Date(now).toISOString(),
      data: {
        token,
        accessor: info.accessor,
        renewable: info.renewable,
        vaultAddr: connection.vaultAddr,
        method,
        ...(connection.namespace ? { namespace: connection.namespace } : {}),
        ...(connection.caCert ? { caCert: connection.caCert } : {}),
        ...(extra.authPath ? { authPath: extra.authPath } : {}),
        ...(extra.role ? { role: extra.role } : {}),
      },
    };
  }

  /** renew-self for renewable tokens; the new TTL becomes the session expiry. */
  async renew(session: HashicorpSession, options: CallOptions): Promise<HashicorpSession> {
    const connection = connectionOfSession(session);
    if (!session.data.renewable) {
      throw new VaultError('REAUTH_REQUIRED', `Your Vault token for ${where(connection)} cannot be renewed; sign in again.`, {
        provider: PROVIDER_ID,
        fix: REAUTH_FIX,
      });
    }
    const calls = await this.clients.create(connection, session.data.token);
    try {
      const body = await calls.write('auth/token/renew-self', {}, options);
      const auth = (body?.auth ?? {}) as { lease_duration?: number; renewable?: boolean };
      const ttl = typeof auth.lease_duration === 'number' ? auth.lease_duration : 0;
      return {
        ...session,
        expiresAt: ttl > 0 ? new Date(Date.now() + ttl * 1000).toISOString() : null,
        data: { ...session.data, renewable: auth.renewable !== false },
      };
    } catch (error) {
      const status = describeFailure(error).status;
      if (status === 403 || status === 401 || status === 400) {
        // 400: "lease is not renewable" / past max TTL; 403: expired or revoked.
        throw new VaultError(
          'REAUTH_REQUIRED',
          `Your Vault token for ${where(connection)} could not be renewed (expired, revoked or at its max TTL).`,
          {
            provider: PROVIDER_ID,
            details: { status },
            fix: REAUTH_FIX,
          },
        );
      }
      throw toVaultError(error, {
        action: 'renew the Vault token',
        path: 'auth/token/renew-self',
        capability: 'update',
        ...targetOf(connection),
        ...signalOf(options),
      });
    }
  }

  /**
   * Signs out: revoke-self for a token vaultlink minted (OIDC/JWT or AppRole login). A token the
   * user brought (`--method token`, VAULT_TOKEN, ~/.vault-token, a root token) is theirs: it is
   * only forgotten, never revoked. A token Vault already refuses (403) is as signed out as it gets.
   */
  async signOut(session: HashicorpSession, options: CallOptions = {}): Promise<SignOutResult> {
    if (!mintedByVaultlink(session)) {
      return {
        revoked: false,
        note: 'the Vault token was given to vaultlink, not created by it, so it was only forgotten and stays valid in Vault; revoke it yourself if you no longer need it (vault token revoke -self)',
      };
    }
    await this.revoke(session, options);
    return { revoked: true };
  }

  /** revoke-self, whatever the token's origin (callers decide; see signOut). */
  async revoke(session: HashicorpSession, options: CallOptions = {}): Promise<void> {
    const connection = connectionOfSession(session);
    const calls = await this.clients.create(connection, session.data.token);
    try {
      await calls.write('auth/token/revoke-self', {}, options);
    } catch (error) {
      if (describeFailure(error).status === 403) return; // already expired or revoked: nothing left to revoke
      throw toVaultError(error, {
        action: 'revoke the Vault token',
        path: 'auth/token/revoke-self',
        capability: 'update',
        ...targetOf(connection),
        ...signalOf(options),
      });
    }
  }
}

/** Tokens from a login vaultlink made (OIDC/JWT, AppRole) are vaultlink's to revoke; supplied tokens are not. */
export function mintedByVaultlink(session: HashicorpSession): boolean {
  return session.data.method === 'oidc' || session.data.method === 'approle';
}

export function connectionOfSession(session: HashicorpSession): VaultConnection {
  return vaultConnection(session.data.vaultAddr, session.data.namespace, session.data.caCert);
}

const signalOf = (o: CallOptions) => (o.signal ? { signal: o.signal } : {});

function clientToken(body: unknown, path: string): string {
  const token = (body as { auth?: { client_token?: unknown } })?.auth?.client_token;
  if (typeof token !== 'string' || token === '') {
    throw new VaultError('AUTH_FAILED', `Vault answered ${path} without a client token.`, { provider: PROVIDER_ID, fix: CONNECT_FIX });
  }
  return token;
}

function loginError(error: unknown, path: string, connection: VaultConnection, options: CallOptions, what: string): VaultError {
  const failure = describeFailure(error);
  if (failure.status === 400 || failure.status === 403 || failure.status === 401) {
    // Vault's login errors ("role not found", "invalid audience", "invalid role or secret ID") hold no secrets.
    return new VaultError(
      'AUTH_FAILED',
      `Vault refused the login at ${path}${failure.errors.length ? `: ${failure.errors.join('; ')}` : ''}.`,
      {
        provider: PROVIDER_ID,
        details: { path, status: failure.status },
        fix: {
          action: 'setup',
          provider: PROVIDER_ID,
          hint: `check your credentials, or ask your Vault admin to check ${what} (setup with --bootstrap sets it up)`,
        },
      },
    );
  }
  if (failure.status === 404) {
    return new VaultError('INVALID_CONFIG', `There is no auth method at ${path.replace(/\/login$/, '')} in ${where(connection)}.`, {
      provider: PROVIDER_ID,
      details: { path },
      fix: `ask your Vault admin to enable ${what}, or correct the mount path`,
    });
  }
  return toVaultError(error, { action: `log in at ${path}`, path, capability: 'update', ...targetOf(connection), ...signalOf(options) });
}
