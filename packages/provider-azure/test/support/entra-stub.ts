/**
 * A Microsoft Entra ID token endpoint on nock, for sign-in flows that cannot reach the real one.
 * It serves OpenID discovery, the device-code endpoint and the token endpoint, and records every
 * token request so tests can assert what MSAL sent (grant type, PKCE verifier, refresh token).
 */
import nock from 'nock';

export const AUTHORITY_HOST = 'https://login.stub.test';
export const TENANT_ID = '8c0e5c1f-2b55-4c43-9d35-1f2f3e4d5a6b';
export const USER_OID = '1d4c7f5e-0a8b-4b1c-9e2d-3f4a5b6c7d8e';
export const USERNAME = 'alice@contoso.example';

export interface TokenRequest {
  grant_type: string;
  [field: string]: string;
}

export type TokenReply = { status: number; body: Record<string, unknown> };

export interface EntraStub {
  tokenRequests: TokenRequest[];
  /** Decides the answer to each token request; default: a fresh token for the grant. */
  onToken: (request: TokenRequest) => TokenReply;
  issued: number;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned JWT: MSAL reads id_token claims without verifying (the TLS channel vouches). */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
}

export function userTokens(stub: EntraStub, clientId: string, expiresIn = 3600): Record<string, unknown> {
  stub.issued += 1;
  const now = Math.floor(Date.now() / 1000);
  return {
    token_type: 'Bearer',
    scope: 'https://vault.azure.net/user_impersonation https://vault.azure.net/.default',
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: fakeJwt({
      aud: 'https://vault.azure.net',
      tid: TENANT_ID,
      oid: USER_OID,
      upn: USERNAME,
      n: stub.issued,
      exp: now + expiresIn,
    }),
    refresh_token: `stub-refresh-token-${stub.issued}`,
    id_token: fakeJwt({
      aud: clientId,
      iss: `${AUTHORITY_HOST}/${TENANT_ID}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      oid: USER_OID,
      sub: USER_OID,
      tid: TENANT_ID,
      preferred_username: USERNAME,
      name: 'Alice',
      ver: '2.0',
    }),
    client_info: b64url({ uid: USER_OID, utid: TENANT_ID }),
  };
}

export function appToken(stub: EntraStub, expiresIn = 3600, appid = 'app'): Record<string, unknown> {
  stub.issued += 1;
  return {
    token_type: 'Bearer',
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: fakeJwt({ aud: 'https://vault.azure.net', tid: TENANT_ID, appid, n: stub.issued }),
  };
}

/** Installs the stub for `tenant` (the tenant in the authority URL MSAL uses). */
export function startEntraStub(tenants: string[] = [TENANT_ID, 'organizations']): EntraStub {
  const stub: EntraStub = {
    tokenRequests: [],
    issued: 0,
    onToken: (request) => ({
      status: 200,
      body:
        request.grant_type === 'client_credentials'
          ? appToken(stub, 3600, request.client_id)
          : userTokens(stub, request.client_id ?? 'client'),
    }),
  };
  for (const tenant of tenants) {
    const base = `${AUTHORITY_HOST}/${tenant}`;
    nock(AUTHORITY_HOST)
      .persist()
      .get(`/${tenant}/v2.0/.well-known/openid-configuration`)
      .query(true)
      .reply(200, {
        issuer: `${AUTHORITY_HOST}/${tenant === 'organizations' ? '{tenantid}' : tenant}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
      })
      .post(`/${tenant}/oauth2/v2.0/devicecode`)
      .query(true)
      .reply(200, {
        user_code: 'STUB-CODE',
        device_code: 'stub-device-code',
        verification_uri: 'https://microsoft.com/devicelogin',
        expires_in: 900,
        interval: 1,
        message:
          'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code STUB-CODE to authenticate.',
      })
      .post(`/${tenant}/oauth2/v2.0/token`)
      .query(true)
      .reply((_uri, body) => {
        const request = Object.fromEntries(new URLSearchParams(String(body))) as TokenRequest;
        stub.tokenRequests.push(request);
        const { status, body: reply } = stub.onToken(request);
        return [status, reply];
      });
  }
  return stub;
}

export function entraError(error: string, description: string, status = 400): TokenReply {
  return {
    status,
    body: {
      error,
      error_description: description,
      error_codes: [1],
      timestamp: new Date().toISOString(),
      trace_id: 't',
      correlation_id: 'c',
    },
  };
}
