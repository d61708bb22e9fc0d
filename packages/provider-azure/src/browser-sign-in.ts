/**
 * Browser sign-in: authorization code with PKCE and a loopback redirect, done by MSAL Node.
 *
 * Why MSAL Node here and not @azure/identity's InteractiveBrowserCredential: in identity 4.13
 * that credential always opens the URL with the `open` package (msalClient.js,
 * createBaseInteractiveRequest) and offers no hook to print it instead, so `--no-browser` and
 * the CLI's own `io.openBrowser` could not be honoured. MSAL Node is the library identity wraps
 * for this very flow and takes an `openBrowser` callback. The tokens land in a SessionTokenCache
 * in identity's cache format, so later renewals go through identity's credential again.
 */
import { VaultError, withDeadline, type ProviderIO } from '@vault/core/provider';
import type { AuthenticationResult } from '@azure/msal-node';
import { DEVELOPER_CLIENT_ID } from './credential.js';
import { PROVIDER_ID, type ConnectOptions } from './options.js';
import { SessionTokenCache } from './token-cache.js';
import { loadMsal } from './sdk.js';

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export interface BrowserSignInResult {
  result: AuthenticationResult;
  cache: SessionTokenCache;
  clientId: string;
}

const NO_BROWSER_FIX = { action: 'connect', provider: PROVIDER_ID, flags: { method: 'device-code' } } as const;

/** Fails early where no browser sign-in can complete: CI, or a Linux/BSD session without a display. */
export function assertBrowserPossible(io: ProviderIO, noBrowser: boolean, platform: NodeJS.Platform = process.platform): void {
  const env = io.env;
  const ci = !!env.CI && env.CI !== 'false' && env.CI !== '0';
  const needsDisplay = platform !== 'darwin' && platform !== 'win32';
  const noDisplay = needsDisplay && !env.DISPLAY && !env.WAYLAND_DISPLAY;
  // With --no-browser a person may still open the URL on this machine (or through a forwarded port).
  if (ci || (noDisplay && !noBrowser)) {
    throw new VaultError(
      'AUTH_FAILED',
      `Browser sign-in cannot work here (${ci ? 'CI is set' : 'no display: DISPLAY and WAYLAND_DISPLAY are unset'}). ` +
        'Sign in with a code on another device instead, or use client-secret / managed-identity for unattended runs.',
      { provider: PROVIDER_ID, fix: NO_BROWSER_FIX },
    );
  }
}

export async function browserSignIn(
  options: ConnectOptions,
  io: ProviderIO,
  settings: { timeoutMs: number; signal?: AbortSignal; loginHint?: string },
): Promise<BrowserSignInResult> {
  assertBrowserPossible(io, options.noBrowser);
  const msal = await loadMsal();
  const cache = new SessionTokenCache();
  const clientId = options.clientId ?? DEVELOPER_CLIENT_ID;
  const authority = `${options.authorityHost ?? DEFAULT_AUTHORITY_HOST}/${options.tenantId ?? 'organizations'}`;
  const app = new msal.PublicClientApplication({
    auth: {
      clientId,
      authority,
      // Same capability identity declares for Key Vault's CAE token requests, so the cache matches.
      clientCapabilities: ['cp1'],
      ...(options.disableInstanceDiscovery ? { knownAuthorities: [authority] } : {}),
    },
    cache: { cachePlugin: cache.plugin },
  });

  let redirectUri: string | undefined;
  const pending = app.acquireTokenInteractive({
    scopes: [options.scope],
    ...(settings.loginHint ? { loginHint: settings.loginHint } : { prompt: 'select_account' }),
    successTemplate: 'Signed in to Azure for vaultlink. You can close this tab.',
    errorTemplate: 'Azure sign-in for vaultlink failed. Return to the terminal for details.',
    openBrowser: async (url: string) => {
      redirectUri = new URL(url).searchParams.get('redirect_uri') ?? undefined;
      if (options.noBrowser) {
        io.info('Open this URL in a browser on this machine to sign in to Azure:');
        io.info(url);
      } else {
        await io.openBrowser(url);
      }
      io.progress('Waiting for the Azure sign-in to finish in the browser');
    },
  });

  let stopped = false;
  try {
    const result = await withDeadline(pending, {
      timeoutMs: settings.timeoutMs,
      ...(settings.signal ? { signal: settings.signal } : {}),
      onTimeout: () =>
        new VaultError('AUTH_FAILED', `The browser sign-in did not finish within ${Math.round(settings.timeoutMs / 1000)} s.`, {
          provider: PROVIDER_ID,
          fix: { ...NO_BROWSER_FIX, hint: 'or connect again with the browser' },
        }),
      onAbort: () => new VaultError('ABORTED', 'The browser sign-in was cancelled.', { provider: PROVIDER_ID }),
      onStop: () => (stopped = true),
    });
    return { result, cache, clientId };
  } catch (error) {
    // MSAL keeps its loopback server open until a redirect arrives; send it one so it closes.
    if (stopped && redirectUri) await releaseLoopback(redirectUri);
    throw error;
  }
}

async function releaseLoopback(redirectUri: string): Promise<void> {
  try {
    await fetch(redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'error=access_denied&error_description=cancelled+by+vaultlink',
      signal: AbortSignal.timeout(2000),
    });
  } catch (error) {
    // The server may already be gone; the sign-in has failed either way and says why.
    void error;
  }
}
