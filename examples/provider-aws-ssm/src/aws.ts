/** The AWS side: SDKs imported on first use, the SDK's own credentials and SigV4, and AWS errors as vaultlink codes. */
import { VaultError, importOptional, transportFault, type CallOptions } from '@vault/core/provider';

export const PROVIDER_ID = 'aws-ssm';
export const loadSsm = importOptional<typeof import('@aws-sdk/client-ssm')>('@aws-sdk/client-ssm', () => import('@aws-sdk/client-ssm'));
export const loadSts = importOptional<typeof import('@aws-sdk/client-sts')>('@aws-sdk/client-sts', () => import('@aws-sdk/client-sts'));
const loadCredentials = importOptional('@aws-sdk/credential-providers', () => import('@aws-sdk/credential-providers'));

/** What a session keeps: the region, and the profile to sign with (none: the SDK's default chain). Never a key. */
export type SsmSessionData = { region: string; profile?: string };
/** One request: its region, the IAM permission it needs, and what it reads (for messages). */
export type Target = { region: string; action: string; subject: string };

/** Makes an SDK client for one request, runs `use` with it and maps AWS errors. Credentials and SigV4 are the SDK's. */
export async function send<C extends { destroy(): void }, T>(data: SsmSessionData, target: Target, Client: new (config: object) => C, use: (client: C) => Promise<T>) {
  const { fromIni, fromNodeProviderChain } = await loadCredentials();
  // Resolved on each use, as the AWS CLI does: rotated keys and renewed SSO sessions just work.
  const credentials = data.profile ? fromIni({ profile: data.profile, ignoreCache: true }) : fromNodeProviderChain();
  const client = new Client({ region: target.region, credentials, requestHandler: { throwOnRequestTimeout: true } });
  try {
    return await use(client);
  } catch (error) {
    throw toVaultError(error, target);
  } finally {
    client.destroy();
  }
}

/** The options of every `client.send`: the call's signal and per-request timeout. */
export const sendOptions = (call: CallOptions) => ({ abortSignal: call.signal, requestTimeout: call.timeoutMs });

export function notFound({ subject, region }: Target): VaultError {
  return new VaultError('NOT_FOUND', `AWS Systems Manager has no parameter ${subject} in ${region}.`, {
    provider: PROVIDER_ID,
    fix: { action: 'relink', provider: PROVIDER_ID, flags: { name: 'NAME' }, hint: 'a name `aws ssm describe-parameters` lists' },
  });
}

const REJECTED = /^(UnrecognizedClient|InvalidSignature|SignatureDoesNotMatch|InvalidClientTokenId|ExpiredToken|CredentialsProvider)/;

/** AWS errors as vaultlink errors, told apart by the AWS error name: AWS's own text may quote the request. */
function toVaultError(error: unknown, target: Target): unknown {
  const { name = '', $fault } = error as { name?: string; $fault?: string };
  const { action, subject } = target;
  const options = { provider: PROVIDER_ID, cause: error, details: { awsError: name, action } };
  const retry = { ...options, fix: { action: 'retry' } as const };
  if (/^Parameter(Version)?NotFound$/.test(name)) return notFound(target);
  if (/AccessDenied/.test(name)) return new VaultError('ACCESS_DENIED', `AWS refused ${action} on ${subject}.`, { ...options, fix: `ask your AWS admin to allow ${action}` });
  if (REJECTED.test(name) && action.startsWith('sts:')) return new VaultError('AUTH_FAILED', `AWS refused the credentials, or there were none (${name}).`, options);
  if (REJECTED.test(name)) return new VaultError('REAUTH_REQUIRED', `AWS refused this session (${name}).`, { ...options, fix: { action: 'reauth', provider: PROVIDER_ID } });
  if (/Throttl/.test(name)) return new VaultError('THROTTLED', `AWS throttled ${action} (${name}).`, retry);
  if ($fault === 'server' || transportFault(error)) return new VaultError('PROVIDER_UNAVAILABLE', `AWS did not answer ${action}.`, retry);
  return error; // vaultlink maps the rest: an AbortError to ABORTED, anything unexpected to INTERNAL (its message withheld)
}
