/**
 * What an AWS session stores (core keeps it encrypted) and how a stored session becomes
 * credentials for a call. Expired temporary credentials fail here, before any request.
 */
import { VaultError, fingerprint, type Session } from '@vault/core/provider';
import type { CredentialSourceKind } from './options.js';
import { PROVIDER_ID, REAUTH_FIX } from './options.js';

export interface StoredCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ISO time temporary credentials stop working; absent for long-term keys. */
  expiration?: string;
}

/** Where the credentials came from; `refresh` uses it to renew SDK-sourced sessions. */
export interface CredentialSource {
  kind: CredentialSourceKind;
  /** Profile used (`--profile`, or `main`/`default` picked by `--from-credentials-file`). */
  profile?: string;
  /** Set when the session came from STS GetSessionToken with this MFA device. */
  mfaSerial?: string;
  /** Shared file paths in effect at connect, when set through AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE. */
  credentialsFile?: string;
  configFile?: string;
}

export interface AwsSessionData {
  credentials: StoredCredentials;
  /** Region for STS calls; secrets use the region of their ARN. */
  region: string;
  source: CredentialSource;
}

export type AwsSession = Session<AwsSessionData>;

/** Temporary credentials this close to expiry are treated as expired: a call could fail half-way. */
const EXPIRY_MARGIN_MS = 10_000;

export function isExpired(expiration: string | undefined, now = Date.now()): boolean {
  if (!expiration) return false;
  const at = Date.parse(expiration);
  return Number.isNaN(at) || at - EXPIRY_MARGIN_MS <= now;
}

/** The credentials of a stored session, or REAUTH_REQUIRED when they are missing or expired. */
export function sessionCredentials(session: Session<unknown>): StoredCredentials {
  const data = session.data as Partial<AwsSessionData> | undefined;
  const credentials = data?.credentials;
  if (!credentials || typeof credentials.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string') {
    throw new VaultError('REAUTH_REQUIRED', 'The stored AWS session has no usable credentials.', {
      provider: PROVIDER_ID,
      fix: REAUTH_FIX,
    });
  }
  const expiration = credentials.expiration ?? session.expiresAt ?? undefined;
  if (isExpired(expiration)) {
    throw new VaultError(
      'REAUTH_REQUIRED',
      `The AWS session expired at ${expiration}${data?.source?.mfaSerial ? ' (MFA sessions last as long as their STS credentials)' : ''}.`,
      {
        provider: PROVIDER_ID,
        fix: REAUTH_FIX,
        details: { expiresAt: expiration },
      },
    );
  }
  return credentials;
}

/** A short fingerprint that tells credentials apart without keeping their secret in map keys. */
export function credentialsKey(credentials: StoredCredentials): string {
  return fingerprint(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken ?? '');
}

/** SDK credential identity from stored credentials. */
export function toIdentity(credentials: StoredCredentials): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
  };
}
