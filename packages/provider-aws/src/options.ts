/**
 * Flags the CLI builds for `link` and `connect`, the options of `createAwsProvider`,
 * and validation of connect input (every bad field at once, INVALID_INPUT).
 */
import { JSON_POINTER_FLAG, readFields, type FlagSpec, type ProviderFields } from '@vault/core/provider';

export const PROVIDER_ID = 'aws';
export const REAUTH_FIX = { action: 'reauth', provider: PROVIDER_ID } as const;
export const CONNECT_FIX = { action: 'connect', provider: PROVIDER_ID } as const;

export const LINK_FLAGS = [
  {
    name: 'arn',
    type: 'string',
    placeholder: 'ARN',
    description: 'Secret ARN: arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 chars>.',
  },
  {
    name: 'role-arn',
    type: 'string',
    placeholder: 'ARN',
    description: 'IAM role to assume (STS AssumeRole) before reading the secret: arn:<partition>:iam::<account>:role/<path/name>.',
  },
  {
    name: 'json-key',
    type: 'string',
    placeholder: 'KEY',
    description: 'Use one top-level key of a JSON secret instead of the whole string.',
  },
  {
    name: 'binary',
    type: 'string',
    choices: ['base64'],
    placeholder: 'ENCODING',
    description: 'Read a SecretBinary secret, encoded as base64 text.',
  },
  // Into the SecretString (or into the --json-key value) when it holds JSON.
  JSON_POINTER_FLAG,
] as const satisfies readonly FlagSpec[];

export const CONNECT_FLAGS = [
  { name: 'access-key-id', type: 'string', placeholder: 'ID', description: 'Access key ID (prompted when missing on a TTY).' },
  {
    name: 'secret-access-key',
    type: 'string',
    secret: true,
    placeholder: 'KEY',
    description: 'Secret access key (prompted with hidden input when missing on a TTY).',
  },
  { name: 'session-token', type: 'string', secret: true, placeholder: 'TOKEN', description: 'Session token, for temporary credentials.' },
  {
    name: 'region',
    type: 'string',
    placeholder: 'REGION',
    description: 'Region for STS calls at connect, e.g. us-east-1 (secrets use the region in their ARN).',
  },
  {
    name: 'from-credentials-file',
    type: 'boolean',
    description:
      'Autofill from the shared credentials/config files (profile "main", else "default"); honours AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE.',
  },
  {
    name: 'profile',
    type: 'string',
    placeholder: 'NAME',
    description: 'Use a named profile through the AWS SDK (static keys, assume-role, SSO, credential_process).',
  },
  {
    name: 'from-env',
    type: 'boolean',
    description: 'Use the AWS SDK default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, web identity, SSO, container and instance roles.',
  },
  {
    name: 'mfa-serial',
    type: 'string',
    placeholder: 'ARN',
    description: 'MFA device ARN or serial; vaultlink then calls STS GetSessionToken (default: mfa_serial of the profile).',
  },
  // Marked secret so it is never kept for `reauth` (a used one-time code is worthless) and can come from stdin.
  {
    name: 'mfa-code',
    type: 'string',
    secret: true,
    placeholder: 'CODE',
    description: 'Current 6-digit MFA code (prompted when an MFA device is set and this is missing).',
  },
] as const satisfies readonly FlagSpec[];

/** Options of `createAwsProvider`. */
export interface AwsProviderOptions {
  /**
   * Attempts per AWS call, first try included, for the SDK's standard retry strategy
   * (exponential backoff with jitter on throttling and transient errors).
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Per-request timeout in ms when the caller passes none.
   * @default 30000
   */
  defaultTimeoutMs?: number;
  /**
   * Called with every AWS SDK client the provider creates (`secretsmanager` or `sts`),
   * e.g. to add middleware that counts calls. Never sees secret values unless it reads responses.
   */
  onClient?: (client: { middlewareStack: { add: (...args: never[]) => unknown } }, service: 'secretsmanager' | 'sts') => void;
  /**
   * Seconds requested for AssumeRole sessions.
   * @default 3600
   */
  roleSessionSeconds?: number;
}

export type CredentialSourceKind = 'keys' | 'credentials-file' | 'profile' | 'env';

/** Validated connect input. */
export interface ConnectOptions {
  source: CredentialSourceKind;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  region?: string;
  profile?: string;
  mfaSerial?: string;
  mfaCode?: string;
}

export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const ACCESS_KEY_ID_PATTERN = /^[A-Z0-9]{16,128}$/;
export const MFA_SERIAL_PATTERN = /^[\w+=/:,.@-]{9,256}$/;
export const MFA_CODE_PATTERN = /^\d{6}$/;
const PROFILE_PATTERN = /^[\w+=,.@:/-]{1,128}$/;

export const EXPECTED = {
  accessKeyId: '16–128 uppercase letters and digits, e.g. AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'the 40-character secret that belongs to the access key ID',
  region: 'an AWS region such as us-east-1',
  mfaSerial: 'an MFA device ARN such as arn:aws:iam::123456789012:mfa/alice, or a hardware serial',
  mfaCode: 'the 6 digits your MFA device shows now',
  profile: 'a profile name from ~/.aws/config or ~/.aws/credentials',
};

/** Checks the form of connect fields and which credential source they select. Throws INVALID_INPUT. */
export function parseConnectOptions(fields: ProviderFields): ConnectOptions {
  const read = readFields(CONNECT_FLAGS, fields, { strict: false });
  const issues = read.issues;
  const accessKeyId = read.text('access-key-id');
  const secretAccessKey = read.text('secret-access-key');
  const sessionToken = read.text('session-token');
  const region = read.text('region');
  const profile = read.text('profile');
  const mfaSerial = read.text('mfa-serial');
  const mfaCode = read.text('mfa-code');
  const fromFile = read.flag('from-credentials-file');
  const fromEnv = read.flag('from-env');

  if (accessKeyId !== undefined && !ACCESS_KEY_ID_PATTERN.test(accessKeyId)) {
    issues.add('access-key-id', 'is not an access key ID', EXPECTED.accessKeyId);
  }
  if (region !== undefined && !REGION_PATTERN.test(region)) issues.add('region', `"${region}" is not an AWS region`, EXPECTED.region);
  if (profile !== undefined && !PROFILE_PATTERN.test(profile))
    issues.add('profile', `"${profile}" is not a profile name`, EXPECTED.profile);
  if (mfaSerial !== undefined && !MFA_SERIAL_PATTERN.test(mfaSerial))
    issues.add('mfa-serial', 'is not an MFA device ARN or serial', EXPECTED.mfaSerial);
  // Never echo the code itself: it is a credential, however short-lived.
  if (mfaCode !== undefined && !MFA_CODE_PATTERN.test(mfaCode)) issues.add('mfa-code', 'is not 6 digits', EXPECTED.mfaCode);

  const selected = [fromFile && '--from-credentials-file', profile !== undefined && '--profile', fromEnv && '--from-env'].filter(
    (flag): flag is string => typeof flag === 'string',
  );
  if (selected.length > 1) {
    issues.add(
      selected[1]!.slice(2),
      `cannot be combined with ${selected[0]}`,
      'one credential source: keys, --from-credentials-file, --profile or --from-env',
    );
  }
  const keysGiven = accessKeyId !== undefined || secretAccessKey !== undefined || sessionToken !== undefined;
  if (keysGiven && (profile !== undefined || fromEnv)) {
    issues.add(
      'access-key-id',
      `keys cannot be combined with ${profile !== undefined ? '--profile' : '--from-env'}`,
      'either keys (flags or prompts) or one SDK source',
    );
  }

  issues.throwIfAny('INVALID_INPUT', 'Cannot connect to AWS: fix these options.', { provider: PROVIDER_ID });

  const source = fromFile ? 'credentials-file' : profile !== undefined ? 'profile' : fromEnv ? 'env' : 'keys';
  return { source, accessKeyId, secretAccessKey, sessionToken, region, profile, mfaSerial, mfaCode };
}
