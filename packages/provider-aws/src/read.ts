/**
 * Reading AWS secrets: one document per role + ARN. A plain read is GetSecretValue; a batch
 * (up to 20 documents with the same credentials and region, grouped by core through
 * `batchKey`) is BatchGetSecretValue, falling back to GetSecretValue when the caller may not
 * batch. Per-secret errors of a batch belong to that secret alone.
 */
import { VaultError, type CallOptions, type DocumentResult, type Session } from '@vault/core/provider';
import type { AwsClients } from './client.js';
import { sendOptions } from './client.js';
import { ForbiddenDiagnosis } from './diagnose.js';
import { batchEntryError, toVaultError, type ErrorContext } from './errors.js';
import { secretArnOf, type AwsLink } from './link.js';
import { PROVIDER_ID } from './options.js';
import { loadSecretsManager } from './sdk.js';
import { credentialsKey, sessionCredentials, type StoredCredentials } from './session.js';
import type { SecretDocument } from './value.js';

export const BATCH_LIMIT = 20;

/** Documents that may share one BatchGetSecretValue: same role (so same credentials) and region. */
export function batchKey(link: AwsLink): string {
  return `${link.roleArn ?? '-'} ${secretArnOf(link).region}`;
}

/** Credentials and a client context for the links of one batch key. */
interface Target {
  clients: AwsClients;
  call: CallOptions;
  credentials: StoredCredentials;
  region: string;
  key: string;
  diagnosis: ForbiddenDiagnosis;
}

async function targetFor(clients: AwsClients, link: AwsLink, session: Session<unknown>, call: CallOptions): Promise<Target> {
  const base = sessionCredentials(session);
  const { region } = secretArnOf(link);
  const credentials = await clients.credentialsFor(base, link.roleArn, region, call);
  return {
    clients,
    call,
    credentials,
    region,
    key: `${credentialsKey(credentials)} ${region}`,
    diagnosis: new ForbiddenDiagnosis(clients, call),
  };
}

function mapError(target: Target, error: unknown, context: ErrorContext): Promise<VaultError> {
  const mapped = toVaultError(error, { ...context, timeoutMs: target.call.timeoutMs });
  return target.diagnosis.refine(mapped, target.key, target.credentials, target.region, context);
}

async function getOne(target: Target, arn: string): Promise<SecretDocument> {
  try {
    const [client, { GetSecretValueCommand }] = await Promise.all([
      target.clients.secretsManager(target.credentials, target.region),
      loadSecretsManager(),
    ]);
    const answer = await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSCURRENT' }), sendOptions(target.call));
    return { secretString: answer.SecretString, secretBinary: answer.SecretBinary, versionId: answer.VersionId };
  } catch (error) {
    throw await mapError(target, error, { operation: 'GetSecretValue', phase: 'use', secretArn: arn });
  }
}

export async function readSecret(
  clients: AwsClients,
  link: AwsLink,
  session: Session<unknown>,
  call: CallOptions,
): Promise<SecretDocument> {
  try {
    return await getOne(await targetFor(clients, link, session, call), link.arn);
  } catch (error) {
    // Role credentials AWS stopped accepting are forgotten, so the next read assumes the role again.
    if (link.roleArn && (error as VaultError).code === 'REAUTH_REQUIRED') clients.forgetRole(sessionCredentials(session), link.roleArn);
    throw error;
  }
}

/** One BatchGetSecretValue (plus pages, if AWS ever splits one) for links of one batch key. */
export async function readSecrets(
  clients: AwsClients,
  links: readonly AwsLink[],
  session: Session<unknown>,
  call: CallOptions,
): Promise<DocumentResult<SecretDocument>[]> {
  let target: Target;
  try {
    target = await targetFor(clients, links[0]!, session, call);
  } catch (error) {
    // A denied AssumeRole denies every secret of the batch alike: say so per secret, as vaultlink
    // reads the documents of a batch refused as a whole (a thrown ACCESS_DENIED) one by one.
    if ((error as VaultError).code !== 'ACCESS_DENIED') throw error;
    return links.map(() => ({ ok: false, error: error as VaultError }));
  }
  const plain = () => Promise.all(links.map((link) => getOne(target, link.arn).then(ok, failed)));
  if (clients.batchDenied.has(target.key)) return plain();
  const outcomes = new Map<string, DocumentResult<SecretDocument>>();
  try {
    const [client, { BatchGetSecretValueCommand }] = await Promise.all([
      clients.secretsManager(target.credentials, target.region),
      loadSecretsManager(),
    ]);
    let nextToken: string | undefined;
    do {
      const answer = await client.send(
        new BatchGetSecretValueCommand({ SecretIdList: links.map((link) => link.arn), ...(nextToken ? { NextToken: nextToken } : {}) }),
        sendOptions(call),
      );
      for (const entry of answer.SecretValues ?? []) {
        if (entry.ARN)
          outcomes.set(entry.ARN, ok({ secretString: entry.SecretString, secretBinary: entry.SecretBinary, versionId: entry.VersionId }));
      }
      for (const entry of answer.Errors ?? [])
        if (entry.SecretId) outcomes.set(entry.SecretId, { ok: false, error: batchEntryError(entry, entry.SecretId) });
      nextToken = answer.NextToken;
    } while (nextToken && links.some((link) => !outcomes.has(link.arn)));
  } catch (error) {
    const mapped = await mapError(target, error, { operation: 'BatchGetSecretValue', phase: 'use' });
    if (mapped.code !== 'ACCESS_DENIED') throw mapped;
    // The caller lacks secretsmanager:BatchGetSecretValue, which the seed never asks for: use the
    // permission users do have, and remember it for these credentials.
    clients.batchDenied.add(target.key);
    return plain();
  }
  return links.map(
    (link) =>
      outcomes.get(link.arn) ?? {
        ok: false,
        error: new VaultError('PROVIDER_UNAVAILABLE', `AWS BatchGetSecretValue returned neither a value nor an error for ${link.arn}.`, {
          provider: PROVIDER_ID,
          fix: { action: 'retry', hint: 'if it persists, report it with the ARN' },
          details: { arn: link.arn, operation: 'BatchGetSecretValue' },
        }),
      },
  );
}

const ok = (document: SecretDocument): DocumentResult<SecretDocument> => ({ ok: true, document });
const failed = (error: unknown): DocumentResult<SecretDocument> => ({ ok: false, error: error as VaultError });
