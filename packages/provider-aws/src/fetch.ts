/**
 * Reads a batch of links: one read per document (role + ARN), BatchGetSecretValue (≤ 20 ids
 * per call) for documents that share credentials and region, GetSecretValue for a lone one.
 * Per-secret errors of a batch belong to that secret alone.
 */
import { VaultError, type FetchOptions, type FetchResult, type Session } from '@vault/core';
import type { AwsClients, CallOptions } from './client.js';
import { sendOptions } from './client.js';
import { ForbiddenDiagnosis } from './diagnose.js';
import { batchEntryError, toVaultError, type ErrorContext } from './errors.js';
import { documentKey, secretArnOf, type AwsLink } from './link.js';
import { PROVIDER_ID } from './options.js';
import { loadSecretsManager } from './sdk.js';
import { credentialsKey, sessionCredentials, type StoredCredentials } from './session.js';
import { valueFor, type SecretDocument } from './value.js';

export const BATCH_LIMIT = 20;

type Outcome = { ok: true; document: SecretDocument } | { ok: false; error: VaultError };

interface PendingDocument {
  arn: string;
  region: string;
  roleArn?: string;
  outcome?: Outcome;
}

interface Group {
  key: string;
  credentials: StoredCredentials;
  region: string;
  documents: PendingDocument[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function aborted(): VaultError {
  return new VaultError('ABORTED', 'The AWS fetch was cancelled.', { provider: PROVIDER_ID });
}

function isAccessDenied(error: VaultError): boolean {
  return error.code === 'ACCESS_DENIED';
}

/** What one fetch call shares: clients, cancellation/timeout, and 403 diagnoses. */
interface Run {
  clients: AwsClients;
  call: CallOptions;
  diagnosis: ForbiddenDiagnosis;
}

async function mapError(run: Run, group: Group, error: unknown, context: ErrorContext): Promise<VaultError> {
  const mapped = toVaultError(error, { ...context, timeoutMs: run.call.timeoutMs });
  return run.diagnosis.refine(mapped, group.key, group.credentials, group.region, context);
}

async function getOne(run: Run, group: Group, doc: PendingDocument): Promise<void> {
  const { clients, call } = run;
  try {
    const [client, { GetSecretValueCommand }] = await Promise.all([clients.secretsManager(group.credentials, group.region), loadSecretsManager()]);
    const answer = await client.send(new GetSecretValueCommand({ SecretId: doc.arn, VersionStage: 'AWSCURRENT' }), sendOptions(call));
    doc.outcome = { ok: true, document: { secretString: answer.SecretString, secretBinary: answer.SecretBinary, versionId: answer.VersionId } };
  } catch (error) {
    doc.outcome = { ok: false, error: await mapError(run, group, error, { operation: 'GetSecretValue', phase: 'use', secretArn: doc.arn }) };
  }
}

/** One BatchGetSecretValue call (plus pages, if AWS ever splits one). Returns false when the batch call itself was denied. */
async function getBatch(run: Run, group: Group, docs: PendingDocument[]): Promise<boolean> {
  const { clients, call } = run;
  const byArn = new Map(docs.map((doc) => [doc.arn, doc]));
  try {
    const [client, { BatchGetSecretValueCommand }] = await Promise.all([clients.secretsManager(group.credentials, group.region), loadSecretsManager()]);
    let nextToken: string | undefined;
    do {
      const answer = await client.send(
        new BatchGetSecretValueCommand({ SecretIdList: docs.map((doc) => doc.arn), ...(nextToken ? { NextToken: nextToken } : {}) }),
        sendOptions(call),
      );
      for (const entry of answer.SecretValues ?? []) {
        const doc = entry.ARN ? byArn.get(entry.ARN) : undefined;
        if (doc) doc.outcome = { ok: true, document: { secretString: entry.SecretString, secretBinary: entry.SecretBinary, versionId: entry.VersionId } };
      }
      for (const entry of answer.Errors ?? []) {
        const doc = entry.SecretId ? byArn.get(entry.SecretId) : undefined;
        if (doc) doc.outcome = { ok: false, error: batchEntryError(entry, doc.arn) };
      }
      nextToken = answer.NextToken;
    } while (nextToken && docs.some((doc) => !doc.outcome));
  } catch (error) {
    const mapped = await mapError(run, group, error, { operation: 'BatchGetSecretValue', phase: 'use' });
    // A denied batch call means the principal lacks secretsmanager:BatchGetSecretValue, which
    // the seed never asks for: fall back to GetSecretValue, the permission users do have.
    if (isAccessDenied(mapped)) return false;
    for (const doc of docs) {
      doc.outcome = { ok: false, error: await mapError(run, group, error, { operation: 'BatchGetSecretValue', phase: 'use', secretArn: doc.arn }) };
    }
    return true;
  }
  for (const doc of docs) {
    doc.outcome ??= {
      ok: false,
      error: new VaultError('PROVIDER_UNAVAILABLE', `AWS BatchGetSecretValue returned neither a value nor an error for ${doc.arn}.`, {
        provider: PROVIDER_ID,
        fix: 'retry; if it persists, report it with the ARN',
        details: { arn: doc.arn, operation: 'BatchGetSecretValue' },
      }),
    };
  }
  return true;
}

async function readGroup(run: Run, group: Group): Promise<void> {
  const docs = group.documents;
  if (docs.length === 1 || run.clients.batchDenied.has(group.key)) {
    await Promise.all(docs.map((doc) => getOne(run, group, doc)));
    return;
  }
  await Promise.all(
    chunks(docs, BATCH_LIMIT).map(async (chunk) => {
      if (chunk.length === 1) return getOne(run, group, chunk[0]!);
      const batched = await getBatch(run, group, chunk);
      if (!batched) {
        run.clients.batchDenied.add(group.key);
        await Promise.all(chunk.map((doc) => getOne(run, group, doc)));
      }
    }),
  );
}

export async function fetchLinks(clients: AwsClients, links: readonly AwsLink[], session: Session<unknown>, options: FetchOptions): Promise<FetchResult[]> {
  const call: CallOptions = { signal: options.signal, timeoutMs: options.timeoutMs ?? clients.defaultTimeoutMs };
  if (options.signal?.aborted) return links.map(() => ({ ok: false, error: aborted() }));

  let base: StoredCredentials;
  try {
    base = sessionCredentials(session);
  } catch (error) {
    const mapped = toVaultError(error, { operation: 'GetSecretValue', phase: 'use' });
    return links.map(() => ({ ok: false, error: mapped }));
  }

  const documents = new Map<string, PendingDocument>();
  for (const link of links) {
    const key = documentKey(link);
    if (!documents.has(key)) {
      documents.set(key, { arn: link.arn, region: secretArnOf(link).region, ...(link.roleArn ? { roleArn: link.roleArn } : {}) });
    }
  }

  // Credentials per document (assumed roles are shared through the cache), then group them.
  const groups = new Map<string, Group>();
  await Promise.all(
    [...documents.values()].map(async (doc) => {
      try {
        const credentials = await clients.credentialsFor(base, doc.roleArn, doc.region, call);
        const key = `${credentialsKey(credentials)} ${doc.region}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { key, credentials, region: doc.region, documents: [] }));
        group.documents.push(doc);
      } catch (error) {
        doc.outcome = { ok: false, error: toVaultError(error, { operation: 'AssumeRole', phase: 'use', roleArn: doc.roleArn, timeoutMs: call.timeoutMs }) };
      }
    }),
  );
  const run: Run = { clients, call, diagnosis: new ForbiddenDiagnosis(clients, call) };
  await Promise.all([...groups.values()].map((group) => readGroup(run, group)));
  for (const doc of documents.values()) {
    if (doc.roleArn && doc.outcome && !doc.outcome.ok && doc.outcome.error.code === 'REAUTH_REQUIRED') clients.forgetRole(base, doc.roleArn);
  }

  return links.map((link): FetchResult => {
    const outcome = documents.get(documentKey(link))!.outcome;
    if (!outcome) return { ok: false, error: new VaultError('INTERNAL', `No outcome for ${link.arn}.`, { provider: PROVIDER_ID }) };
    return outcome.ok ? valueFor(link, outcome.document) : { ok: false, error: outcome.error };
  });
}
