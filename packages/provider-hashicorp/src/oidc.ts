/**
 * The member's browser sign-in against Vault's OIDC provider, with openid-client:
 * discovery from the OIDC provider URL, authorization code + PKCE S256 + state + nonce,
 * the code received on the loopback redirect, and the ID token validated by the library
 * (issuer, audience, nonce, expiry, and the JWS signature against the provider's JWKS).
 */
import { VaultError, startLoopbackReceiver, transportFault, type ProviderIO } from '@vault/core/provider';
import { caAwareFetch } from './ca-fetch.js';
import { loadOpenIdClient } from './sdk.js';
import { CONNECT_FIX, PROVIDER_ID, type HashicorpTeamSettings } from './options.js';
import { isLoopbackHost } from './settings.js';

export interface OidcLoginOptions {
  caCert?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface OidcResult {
  idToken: string;
  /** Validated ID token claims (no secrets: sub, iss, aud, ...). */
  subject: string;
}

type OpenIdClient = typeof import('openid-client');

export async function signInWithOidc(settings: HashicorpTeamSettings, io: ProviderIO, options: OidcLoginOptions): Promise<OidcResult> {
  const oidc: OpenIdClient = await loadOpenIdClient();
  const issuer = new URL(settings.oidcProviderUrl);
  const redirectUri = new URL(settings.redirectUri);
  const customFetch = (await caAwareFetch({
    ...(options.caCert ? { caCert: options.caCert } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })) as import('openid-client').CustomFetch;

  io.progress('Discovering the Vault OIDC provider');
  let config: import('openid-client').Configuration;
  try {
    config = await oidc.discovery(issuer, settings.clientId, undefined, oidc.None(), {
      // ID token signatures are checked against the JWKS even on TLS (non-repudiation);
      // plain http is accepted only for loopback dev servers such as `bao server -dev`.
      execute: [
        oidc.enableNonRepudiationChecks,
        ...(issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname) ? [oidc.allowInsecureRequests] : []),
      ],
      [oidc.customFetch]: customFetch,
    });
  } catch (error) {
    throw oidcError(error, `discover the OIDC provider at ${issuer.href}`, settings, options.signal);
  }

  const codeVerifier = oidc.randomPKCECodeVerifier();
  const codeChallenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri.href,
    scope: 'openid',
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  });

  // Listen before opening the browser, so a busy port fails before the user signs in.
  const receiver = await startLoopbackReceiver(redirectUri, {
    provider: PROVIDER_ID,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    signInTo: 'Vault',
    busyPortHint: 'another `vault login -method=oidc`?',
    timeoutFix: {
      ...CONNECT_FIX,
      flags: { 'login-timeout': 'SECONDS' },
      hint: 'open the printed URL in a browser on this computer; a longer --login-timeout gives you more time',
    },
  });
  let callbackUrl: URL;
  try {
    io.info(`Sign in to Vault in your browser; waiting for the redirect to ${redirectUri.href}`);
    await io.openBrowser(authorizationUrl.href);
    callbackUrl = await receiver.callback;
  } finally {
    await receiver.close();
  }

  io.progress('Exchanging the authorization code');
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!tokens.id_token || !claims)
      throw new VaultError('AUTH_FAILED', "Vault's OIDC provider returned no ID token.", { provider: PROVIDER_ID, fix: CONNECT_FIX });
    return { idToken: tokens.id_token, subject: String(claims.sub) };
  } catch (error) {
    throw oidcError(error, 'complete the sign-in (code exchange and ID token validation)', settings, options.signal);
  }
}

function oidcError(error: unknown, action: string, settings: HashicorpTeamSettings, signal?: AbortSignal): VaultError {
  if (error instanceof VaultError) return error;
  if (signal?.aborted) return new VaultError('ABORTED', 'Sign-in cancelled.', { provider: PROVIDER_ID });
  const e = error as { name?: string; code?: string; message?: string; status?: number; error?: string; error_description?: string };
  // openid-client's errors describe the failed check (state, nonce, audience, signature) and hold no tokens.
  // The library's own cause names the failed check ('unexpected "state" response parameter value',
  // 'unexpected JWT "nonce" (nonce) claim value'); its other fields (parameters, claims) are not shown.
  const cause = (error as { cause?: unknown }).cause;
  const why = cause instanceof Error && cause.message !== e.message ? `: ${cause.message}` : '';
  const detail = e.error ? `${e.error}${e.error_description ? `: ${e.error_description}` : ''}` : `${e.message ?? String(error)}${why}`;
  const fault = transportFault(error);
  if (fault) {
    return new VaultError(
      'PROVIDER_UNAVAILABLE',
      `Could not reach Vault's OIDC provider to ${action} (${fault.code ?? 'network error'}).`,
      {
        provider: PROVIDER_ID,
        fix: 'check that Vault is reachable from this computer (and VAULT_CACERT for a private CA), then connect again',
      },
    );
  }
  if (e.name === 'ResponseBodyError' && e.status === 404) {
    return new VaultError('INVALID_CONFIG', `No OIDC provider answers at ${settings.oidcProviderUrl}.`, {
      provider: PROVIDER_ID,
      fix: { action: 'setup', provider: PROVIDER_ID, hint: 'ask a team admin to check the OIDC provider URL' },
    });
  }
  return new VaultError('AUTH_FAILED', `Vault sign-in failed while trying to ${action}: ${detail}`, {
    provider: PROVIDER_ID,
    details: { ...(e.code ? { code: e.code } : {}), ...(e.name ? { error: e.name } : {}) },
    fix: CONNECT_FIX,
  });
}
