/**
 * The one place where Azure SDK, MSAL and network failures become VaultErrors.
 * Auth failures never become NOT_FOUND, and messages carry no secret values: they are built
 * from status codes, Azure error codes and the link, never from response bodies with data.
 */
import {
  VaultError,
  retryAfterSeconds,
  transportFault,
  type ErrorCode,
  type TransportFault,
  type VaultErrorOptions,
} from '@vault/core/provider';
import { formatIdentifier, type AzureLink } from './identifier.js';
import { CONNECT_FIX, PROVIDER_ID, REAUTH_FIX } from './options.js';

export interface ErrorContext {
  operation: 'connect' | 'refresh' | 'fetch' | 'describe';
  link?: AzureLink;
  /** The caller's signal: aborted means the caller cancelled. */
  signal?: AbortSignal;
  /** Our own timeout signal: aborted means the read took too long. */
  timeout?: AbortSignal;
  timeoutMs?: number;
}

export const READ_ROLE = 'Key Vault Secrets User';
export const ENABLE_SECRET_FIX =
  'enable the secret version in Azure (az keyvault secret set-attributes --enabled true), or link another version';

const NETWORK_TEXT = /network_error|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|getaddrinfo|socket hang up|Network unreachable/i;
const DISABLED_TEXT = /not allowed on a disabled/i;
const TENANT_MISMATCH = /not configured to acquire tokens for tenant (\S+?)\.?\s/;

interface AzureLikeError {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  errorCode?: string;
  errorResponse?: { error?: string; errorDescription?: string };
  response?: { headers?: { get?: (name: string) => string | undefined } };
  details?: { error?: { code?: string; innererror?: { code?: string }; innerError?: { code?: string } } };
  cause?: unknown;
}

export function mapAzureError(error: unknown, context: ErrorContext): VaultError {
  if (error instanceof VaultError) return error;
  const e = (error && typeof error === 'object' ? error : { message: String(error) }) as AzureLikeError;
  const where = context.link ? ` for ${formatIdentifier(context.link)}` : '';
  const secret = context.link ? `Azure secret ${formatIdentifier(context.link)}` : 'the Azure secret';
  const make = (code: ErrorCode, message: string, options: Omit<VaultErrorOptions, 'provider' | 'cause'> = {}) =>
    new VaultError(code, message, { provider: PROVIDER_ID, cause: error, ...options });

  if (context.timeout?.aborted && !context.signal?.aborted) {
    return make('PROVIDER_UNAVAILABLE', `Azure Key Vault did not answer within ${context.timeoutMs ?? '?'} ms${where}.`, {
      details: { timeout: true },
      fix: 'check the network path to the vault, or retry',
    });
  }
  if (e.name === 'AbortError' || context.signal?.aborted) return make('ABORTED', `The Azure request was cancelled${where}.`);

  const connecting = context.operation === 'connect';
  const authCode: ErrorCode = connecting ? 'AUTH_FAILED' : 'REAUTH_REQUIRED';
  const authFix = connecting ? CONNECT_FIX : REAUTH_FIX;

  // @azure/identity and MSAL errors.
  const tenant = TENANT_MISMATCH.exec(e.message ?? '');
  if (tenant) {
    return make(
      'ACCESS_DENIED',
      `The vault ${context.link?.vaultUrl ?? 'you linked'} belongs to tenant ${tenant[1]}, not to the tenant this Azure integration signed in to. One Azure integration (tenant) is connected at a time.`,
      {
        fix: { action: 'reconnect', provider: PROVIDER_ID, flags: { tenant: tenant[1]! } },
        details: { vaultTenant: tenant[1] },
      },
    );
  }
  if (
    e.name === 'AuthenticationRequiredError' ||
    e.name === 'CredentialUnavailableError' ||
    e.name === 'AuthenticationError' ||
    e.name === 'ServerError' ||
    e.name === 'InteractionRequiredAuthError' ||
    e.name === 'AggregateAuthenticationError'
  ) {
    if (NETWORK_TEXT.test(e.message ?? '') || networkFault(e.cause)) {
      return make('PROVIDER_UNAVAILABLE', `The Azure sign-in endpoint could not be reached${where}.`, {
        fix: 'check the network connection, then retry',
      });
    }
    // identity wraps MSAL server errors as "invalid_grant: Error(s): ... - Description: AADSTS...".
    const reason = e.errorResponse?.error ?? e.errorCode ?? /^([a-z_]+): /.exec(e.message ?? '')?.[1];
    const explanation =
      e.errorResponse?.errorDescription ??
      / Description: (.+?)(?: - Correlation ID:| - Trace ID:|$)/.exec(e.message ?? '')?.[1] ??
      (e.name === 'CredentialUnavailableError' ? e.message : undefined);
    return make(
      authCode,
      `${authPhrase(context.operation)}${reason ? ` (${reason})` : ''}${explanation ? `: ${firstLine(explanation)}` : ''}.`,
      {
        fix: authFix,
        ...(reason ? { details: { reason } } : {}),
      },
    );
  }

  // Key Vault REST errors.
  const status = e.statusCode;
  const azureCode = e.details?.error?.code ?? e.code;
  // The SDK's deserializer renames Key Vault's `innererror` to `innerError`.
  const innerCode = e.details?.error?.innerError?.code ?? e.details?.error?.innererror?.code;
  if (status !== undefined) {
    const details = { status, ...(azureCode ? { azureCode } : {}), ...(innerCode ? { innerCode } : {}) };
    // Real Key Vault: 403 Forbidden/SecretDisabled. Lowkey Vault: 404 with the same sentence.
    if (innerCode === 'SecretDisabled' || DISABLED_TEXT.test(e.message ?? '')) {
      return make('SECRET_DISABLED', `${capitalize(secret)} is disabled (its "enabled" attribute is false).`, {
        details: { ...details, state: 'disabled' },
        fix: ENABLE_SECRET_FIX,
      });
    }
    if (status === 401) {
      return make('REAUTH_REQUIRED', `Azure Key Vault rejected the access token${where} (401${azureCode ? ` ${azureCode}` : ''}).`, {
        fix: REAUTH_FIX,
        details,
      });
    }
    if (status === 403) {
      if (innerCode === 'ForbiddenByFirewall' || innerCode === 'ForbiddenByConnection') {
        return make('ACCESS_DENIED', `The vault's firewall blocks this network from ${secret} (${innerCode}).`, {
          details,
          fix: "ask a vault admin to allow your IP or network in the vault's networking settings",
        });
      }
      return make(
        'ACCESS_DENIED',
        `Access to ${secret} was denied (403). Reading secret values needs the data-plane role "${READ_ROLE}" on the vault or secret ` +
          `(the Postman docs call it "Azure Vault Reader"; the real built-in role is ${READ_ROLE}), or, for vaults that use access policies, an access policy with Get on secrets.`,
        {
          details,
          fix: `az role assignment create --role "${READ_ROLE}" --assignee <your-principal> --scope <vault-resource-id>`,
        },
      );
    }
    if (status === 404) {
      return make(
        'NOT_FOUND',
        `${capitalize(secret)} does not exist${context.link?.version ? ' at that version' : ''} (404${azureCode ? ` ${azureCode}` : ''}).`,
        {
          details,
          fix: 'check the vault, secret name and version in the identifier',
        },
      );
    }
    if (status === 429) {
      const wait = retryAfterSeconds(e.response?.headers?.get?.('retry-after'));
      return make('THROTTLED', `Azure Key Vault is throttling requests${where} (429) and retries did not get through.`, {
        details,
        ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
        fix: wait !== undefined ? `retry after ${wait} s` : 'retry later',
      });
    }
    if (status >= 500) {
      return make('PROVIDER_UNAVAILABLE', `Azure Key Vault answered ${status}${where}.`, { details, fix: 'retry later' });
    }
    if (status === 400) {
      return make('INVALID_LINK', `Azure Key Vault refused the request${where} (400${azureCode ? ` ${azureCode}` : ''}).`, {
        details,
        fix: { action: 'relink', provider: PROVIDER_ID, flags: { id: 'URI' }, hint: 'check the secret identifier' },
      });
    }
  }

  const fault = networkFault(e);
  if (fault) {
    const tls = fault.kind === 'tls';
    return make(
      'PROVIDER_UNAVAILABLE',
      tls
        ? `The TLS certificate of ${context.link?.vaultUrl ?? 'the vault'} could not be verified (${e.code ?? fault.code ?? 'TLS error'}).`
        : `Azure could not be reached${where} (${e.code ?? fault.code ?? 'network error'}).`,
      {
        fix: tls
          ? 'for an emulator or private CA, trust its certificate with NODE_EXTRA_CA_CERTS (verification stays on)'
          : 'check the vault host name and the network, then retry',
      },
    );
  }
  return make('INTERNAL', `Unexpected Azure error${where}: ${e.name ?? 'Error'}${e.code ? ` ${e.code}` : ''}.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function authPhrase(operation: ErrorContext['operation']): string {
  return operation === 'connect' ? 'Azure sign-in failed' : 'The Azure session can no longer get tokens and needs a new sign-in';
}

function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0]!.slice(0, 300).replace(/\.+$/, '');
}

/** Core's transport faults, plus @azure/core-rest-pipeline's code for a request it could not send. */
function networkFault(value: unknown): TransportFault | undefined {
  const fault = transportFault(value);
  if (fault) return fault;
  const code = (value as AzureLikeError | undefined)?.code;
  return code === 'REQUEST_SEND_ERROR' ? { kind: 'network', code } : undefined;
}
