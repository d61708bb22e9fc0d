/**
 * `vaultlink connect aws`: base credentials → optional MFA (STS GetSessionToken) →
 * STS GetCallerIdentity, so a bad key fails now and the user sees account and ARN.
 * Also `refresh`, which renews SDK-sourced sessions without a person.
 */
import { IssueList, VaultError, type AuthContext, type ProviderFields, type ProviderIO } from '@vault/core/provider';
import type { AwsClients, CallOptions } from './client.js';
import { sendOptions } from './client.js';
import { resolveBaseCredentials } from './credentials.js';
import { toVaultError } from './errors.js';
import { CONNECT_FIX, EXPECTED, MFA_CODE_PATTERN, PROVIDER_ID, REAUTH_FIX, REGION_PATTERN, parseConnectOptions } from './options.js';
import { loadSts } from './sdk.js';
import type { AwsSession, AwsSessionData, CredentialSource, StoredCredentials } from './session.js';

function previousRegion(context: AuthContext): string | undefined {
  const data = context.previous?.data as Partial<AwsSessionData> | undefined;
  return typeof data?.region === 'string' ? data.region : undefined;
}

async function askMfaCode(serial: string, given: string | undefined, io: ProviderIO): Promise<string> {
  let code = given;
  if (code === undefined && io.interactive) code = (await io.prompt(`MFA code for ${serial}`)).trim();
  const issues = new IssueList();
  if (code === undefined)
    issues.add('mfa-code', `is required for MFA device ${serial} (there is no TTY to prompt on)`, `--mfa-code CODE (${EXPECTED.mfaCode})`);
  else if (!MFA_CODE_PATTERN.test(code)) issues.add('mfa-code', 'is not 6 digits', EXPECTED.mfaCode);
  issues.throwIfAny('INVALID_INPUT', 'Cannot connect to AWS: MFA code needed.', { provider: PROVIDER_ID });
  return code!;
}

async function requireRegion(region: string | undefined, io: ProviderIO): Promise<string> {
  let chosen = region;
  if (chosen === undefined && io.interactive) chosen = (await io.prompt('AWS region', { default: 'us-east-1' })).trim();
  const issues = new IssueList();
  if (!chosen)
    issues.add(
      'region',
      'is missing (not in a flag, the profile, AWS_REGION or AWS_DEFAULT_REGION)',
      `--region REGION (${EXPECTED.region})`,
    );
  else if (!REGION_PATTERN.test(chosen)) issues.add('region', `"${chosen}" is not an AWS region`, EXPECTED.region);
  issues.throwIfAny('INVALID_INPUT', 'Cannot connect to AWS: no region.', { provider: PROVIDER_ID });
  return chosen!;
}

/** STS GetSessionToken with the MFA device: the session then lasts as long as these credentials. */
async function mfaSession(
  clients: AwsClients,
  base: StoredCredentials,
  region: string,
  serial: string,
  code: string,
  call: CallOptions,
): Promise<StoredCredentials> {
  try {
    const [sts, { GetSessionTokenCommand }] = await Promise.all([clients.sts(base, region), loadSts()]);
    const answer = await sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code }), sendOptions(call));
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw Object.assign(new Error('STS GetSessionToken returned no credentials'), { name: 'InvalidResponse' });
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: new Date(c.Expiration).toISOString() } : {}),
    };
  } catch (error) {
    const mapped = toVaultError(error, { operation: 'GetSessionToken', phase: 'connect', timeoutMs: call.timeoutMs });
    // AWS answers a wrong one-time code with AccessDenied "MultiFactorAuthentication failed".
    if (mapped.code === 'ACCESS_DENIED' && /MultiFactorAuthentication failed|invalid MFA/i.test(mapped.message)) {
      throw new VaultError('AUTH_FAILED', `AWS rejected the MFA code for ${serial}.`, {
        provider: PROVIDER_ID,
        fix: { ...CONNECT_FIX, flags: { 'mfa-code': 'CODE' }, hint: 'with a fresh code' },
        cause: error,
      });
    }
    throw mapped;
  }
}

async function callerIdentity(
  clients: AwsClients,
  credentials: StoredCredentials,
  region: string,
  call: CallOptions,
  phase: 'connect' | 'use',
) {
  try {
    const [sts, { GetCallerIdentityCommand }] = await Promise.all([clients.sts(credentials, region), loadSts()]);
    const answer = await sts.send(new GetCallerIdentityCommand({}), sendOptions(call));
    if (!answer.Account || !answer.Arn)
      throw Object.assign(new Error('STS GetCallerIdentity returned no account'), { name: 'InvalidResponse' });
    return { account: answer.Account, arn: answer.Arn };
  } catch (error) {
    throw toVaultError(error, { operation: 'GetCallerIdentity', phase, timeoutMs: call.timeoutMs });
  }
}

function makeSession(
  credentials: StoredCredentials,
  region: string,
  source: CredentialSource,
  identity: { account: string; arn: string },
): AwsSession {
  return {
    provider: PROVIDER_ID,
    organization: identity.account,
    principal: `account ${identity.account} (${identity.arn})`,
    expiresAt: credentials.expiration ?? null,
    createdAt: new Date().toISOString(),
    data: { credentials, region, source },
  };
}

export async function authenticate(clients: AwsClients, fields: ProviderFields, io: ProviderIO, context: AuthContext): Promise<AwsSession> {
  const options = parseConnectOptions(fields);
  const call: CallOptions = { signal: context.signal, timeoutMs: clients.defaultTimeoutMs };
  // A profile's assume-role MFA uses this code through the SDK; it is one-time, so no second use below.
  let codeUsedBySdk = false;
  const base = await resolveBaseCredentials(options, io, previousRegion(context), async (serial) => {
    codeUsedBySdk = true;
    return askMfaCode(serial, options.mfaCode, io);
  });
  const region = await requireRegion(base.region, io);

  let credentials = base.credentials;
  let source: CredentialSource = base.source;
  const serial = options.mfaSerial ?? base.mfaSerial;
  if (serial && !codeUsedBySdk) {
    const code = await askMfaCode(serial, options.mfaCode, io);
    io.progress('Getting an MFA session from AWS STS…');
    credentials = await mfaSession(clients, credentials, region, serial, code, call);
    source = { ...source, mfaSerial: serial };
  }

  io.progress('Checking the credentials with AWS STS…');
  const identity = await callerIdentity(clients, credentials, region, call, 'connect');
  return makeSession(credentials, region, source, identity);
}

/**
 * Renews sessions whose credentials came from the SDK (`--profile`, `--from-env`), e.g. a
 * refreshed SSO token or rotated web identity. Keys typed in and MFA sessions need a person.
 */
export async function refresh(clients: AwsClients, session: AwsSession, context: AuthContext): Promise<AwsSession> {
  const source = session.data?.source;
  if (!source || source.mfaSerial || (source.kind !== 'profile' && source.kind !== 'env')) {
    throw new VaultError(
      'REAUTH_REQUIRED',
      `The AWS session ${source?.mfaSerial ? 'from MFA ' : ''}has expired and needs you to sign in again.`,
      {
        provider: PROVIDER_ID,
        fix: REAUTH_FIX,
      },
    );
  }
  const env: Record<string, string | undefined> = { ...process.env };
  if (source.credentialsFile) env.AWS_SHARED_CREDENTIALS_FILE = source.credentialsFile;
  if (source.configFile) env.AWS_CONFIG_FILE = source.configFile;
  const io: ProviderIO = {
    interactive: false,
    env,
    prompt: () =>
      Promise.reject(
        new VaultError('REAUTH_REQUIRED', 'Renewing this AWS session needs input.', { provider: PROVIDER_ID, fix: REAUTH_FIX }),
      ),
    openBrowser: async () => undefined,
    info: () => undefined,
    warn: () => undefined,
    progress: () => undefined,
  };
  const options = parseConnectOptions({
    ...(source.kind === 'profile' ? { profile: source.profile } : { fromEnv: true }),
    region: session.data.region,
  });
  const call: CallOptions = { signal: context.signal, timeoutMs: clients.defaultTimeoutMs };
  let base;
  try {
    base = await resolveBaseCredentials(options, io, session.data.region, () => io.prompt('MFA code'));
  } catch (error) {
    const mapped = toVaultError(error, { operation: 'LoadCredentials', phase: 'use' });
    throw mapped.code === 'REAUTH_REQUIRED'
      ? mapped
      : new VaultError('REAUTH_REQUIRED', `Cannot renew the AWS session: ${mapped.message}`, {
          provider: PROVIDER_ID,
          fix: REAUTH_FIX,
          cause: mapped,
        });
  }
  const identity = await callerIdentity(clients, base.credentials, session.data.region, call, 'use');
  if (identity.account !== session.organization) {
    throw new VaultError(
      'REAUTH_REQUIRED',
      `The renewed AWS credentials belong to account ${identity.account}, not ${session.organization}.`,
      {
        provider: PROVIDER_ID,
        fix: REAUTH_FIX,
      },
    );
  }
  return makeSession(base.credentials, session.data.region, source, identity);
}
