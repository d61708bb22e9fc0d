/**
 * Where connect gets its first credentials: flags and TTY prompts, the shared credentials
 * and config files (profile `main`, else `default`), a named profile through the SDK's
 * ini/SSO providers, or the SDK's default chain. Files are read by the SDK's own loaders.
 */
import { IssueList, type ProviderIO } from '@vault/core/provider';
import { toVaultError } from './errors.js';
import { ACCESS_KEY_ID_PATTERN, EXPECTED, PROVIDER_ID, REGION_PATTERN, type ConnectOptions } from './options.js';
import { loadCredentialProviders, loadIniLoader } from './sdk.js';
import type { CredentialSource, StoredCredentials } from './session.js';

/** The profiles `--from-credentials-file` looks for, in order (the seed's rule). */
export const AUTOFILL_PROFILES = ['main', 'default'] as const;

export interface BaseCredentials {
  credentials: StoredCredentials;
  region?: string;
  /** mfa_serial of the profile used, when it has one. */
  mfaSerial?: string;
  source: CredentialSource;
}

type Env = Readonly<Record<string, string | undefined>>;

function filePaths(env: Env): {
  filepath: string;
  configFilepath: string;
  source: Pick<CredentialSource, 'credentialsFile' | 'configFile'>;
} {
  // The loader expands `~/` itself; explicit env paths win, as in every AWS SDK.
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || undefined;
  const configFile = env.AWS_CONFIG_FILE || undefined;
  return {
    filepath: credentialsFile ?? '~/.aws/credentials',
    configFilepath: configFile ?? '~/.aws/config',
    source: { ...(credentialsFile ? { credentialsFile } : {}), ...(configFile ? { configFile } : {}) },
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function fromSdkIdentity(identity: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}): StoredCredentials {
  return {
    accessKeyId: identity.accessKeyId,
    secretAccessKey: identity.secretAccessKey,
    ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    ...(identity.expiration ? { expiration: new Date(identity.expiration).toISOString() } : {}),
  };
}

/** Both shared files, read fresh by the SDK's own loader (a profile may have changed since the last connect). */
async function readSharedFiles(paths: ReturnType<typeof filePaths>) {
  const { loadSharedConfigFiles } = await loadIniLoader();
  return loadSharedConfigFiles({ filepath: paths.filepath, configFilepath: paths.configFilepath, ignoreCache: true });
}

/** Reads the shared files and picks profile `main`, else `default`. */
async function readAutofillProfile(
  env: Env,
): Promise<{ profile: string; values: Record<string, string | undefined>; paths: ReturnType<typeof filePaths> }> {
  const paths = filePaths(env);
  const { credentialsFile, configFile } = await readSharedFiles(paths);
  const profile = AUTOFILL_PROFILES.find((name) => credentialsFile[name] !== undefined || configFile[name] !== undefined);
  if (!profile) {
    const issues = new IssueList().add(
      'from-credentials-file',
      `neither a "main" nor a "default" profile in ${paths.filepath} or ${paths.configFilepath}`,
      'a [main] or [default] section with aws_access_key_id and aws_secret_access_key (see `aws configure`)',
    );
    issues.throwIfAny('INVALID_INPUT', 'Cannot autofill AWS credentials from the shared files.', { provider: PROVIDER_ID });
  }
  // Keys usually live in the credentials file; the config file may hold them too, and the region.
  return { profile: profile!, values: { ...configFile[profile!], ...credentialsFile[profile!] }, paths };
}

/** Fills what is missing by prompting, or lists every missing field when nobody can answer. */
async function completeKeys(
  found: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string; region?: string },
  io: ProviderIO,
  where: string,
): Promise<{ credentials: StoredCredentials; region: string }> {
  const issues = new IssueList();
  let { accessKeyId, secretAccessKey, region } = found;
  if (io.interactive) {
    accessKeyId ??= (await io.prompt('AWS access key ID')).trim();
    secretAccessKey ??= (await io.prompt('AWS secret access key', { secret: true })).trim();
    region ??= (await io.prompt('AWS region', { default: 'us-east-1' })).trim();
  }
  if (!accessKeyId) issues.add('access-key-id', `is missing ${where}`, `--access-key-id ID (${EXPECTED.accessKeyId})`);
  else if (!ACCESS_KEY_ID_PATTERN.test(accessKeyId)) issues.add('access-key-id', 'is not an access key ID', EXPECTED.accessKeyId);
  if (!secretAccessKey) issues.add('secret-access-key', `is missing ${where}`, `--secret-access-key-stdin (${EXPECTED.secretAccessKey})`);
  if (!region) issues.add('region', `is missing ${where}`, `--region REGION (${EXPECTED.region})`);
  else if (!REGION_PATTERN.test(region)) issues.add('region', `"${region}" is not an AWS region`, EXPECTED.region);
  issues.throwIfAny('INVALID_INPUT', 'Cannot connect to AWS: credentials are incomplete.', { provider: PROVIDER_ID });
  return {
    credentials: {
      accessKeyId: accessKeyId!,
      secretAccessKey: secretAccessKey!,
      ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
    },
    region: region!,
  };
}

function envRegion(env: Env): string | undefined {
  return text(env.AWS_REGION) ?? text(env.AWS_DEFAULT_REGION);
}

/** Region of a profile from the shared files, for `--profile`. */
async function profileRegion(profile: string, paths: ReturnType<typeof filePaths>): Promise<string | undefined> {
  const { configFile, credentialsFile } = await readSharedFiles(paths);
  return text(configFile[profile]?.region) ?? text(credentialsFile[profile]?.region);
}

export async function resolveBaseCredentials(
  options: ConnectOptions,
  io: ProviderIO,
  fallbackRegion: string | undefined,
  mfaCode: (serial: string) => Promise<string>,
): Promise<BaseCredentials> {
  const env = io.env;
  switch (options.source) {
    case 'keys': {
      const keys = await completeKeys(
        { ...options, region: options.region ?? envRegion(env) ?? fallbackRegion },
        io,
        '(give it as a flag; there is no TTY to prompt on)',
      );
      return { ...keys, source: { kind: 'keys' } };
    }
    case 'credentials-file': {
      const { profile, values, paths } = await readAutofillProfile(env);
      io.info(`Using profile "${profile}" from ${paths.filepath} / ${paths.configFilepath}.`);
      const fileKeys = {
        accessKeyId: text(values.aws_access_key_id),
        secretAccessKey: text(values.aws_secret_access_key),
        sessionToken: text(values.aws_session_token),
        region: text(values.region),
      };
      if (!fileKeys.accessKeyId && (values.role_arn || values.sso_session || values.sso_start_url || values.credential_process)) {
        io.warn(
          `Profile "${profile}" has no static keys; connect with --profile ${profile} instead for role, SSO or credential_process profiles.`,
        );
      }
      // Flags override the file, field by field.
      const keys = await completeKeys(
        {
          accessKeyId: options.accessKeyId ?? fileKeys.accessKeyId,
          secretAccessKey: options.secretAccessKey ?? fileKeys.secretAccessKey,
          sessionToken: options.sessionToken ?? fileKeys.sessionToken,
          region: options.region ?? fileKeys.region ?? envRegion(env) ?? fallbackRegion,
        },
        io,
        `in profile "${profile}" (and not given as a flag)`,
      );
      return {
        ...keys,
        ...(text(values.mfa_serial) ? { mfaSerial: text(values.mfa_serial) } : {}),
        source: { kind: 'credentials-file', profile, ...paths.source },
      };
    }
    case 'profile': {
      const profile = options.profile!;
      const paths = filePaths(env);
      const region = options.region ?? (await profileRegion(profile, paths)) ?? envRegion(env) ?? fallbackRegion;
      const { fromIni } = await loadCredentialProviders();
      const provider = fromIni({
        profile,
        ...(paths.source.credentialsFile ? { filepath: paths.source.credentialsFile } : {}),
        ...(paths.source.configFile ? { configFilepath: paths.source.configFile } : {}),
        ignoreCache: true,
        mfaCodeProvider: mfaCode,
        ...(region ? { clientConfig: { region } } : {}),
      });
      const credentials = await loadFromSdk(() => provider());
      return { credentials, ...(region ? { region } : {}), source: { kind: 'profile', profile, ...paths.source } };
    }
    case 'env': {
      const region = options.region ?? envRegion(env) ?? fallbackRegion;
      const { fromNodeProviderChain } = await loadCredentialProviders();
      const provider = fromNodeProviderChain(region ? { clientConfig: { region } } : {});
      const credentials = await loadFromSdk(() => provider());
      return { credentials, ...(region ? { region } : {}), source: { kind: 'env' } };
    }
  }
}

async function loadFromSdk(
  load: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>,
): Promise<StoredCredentials> {
  try {
    return fromSdkIdentity(await load());
  } catch (error) {
    throw toVaultError(error, { operation: 'LoadCredentials', phase: 'connect' });
  }
}
