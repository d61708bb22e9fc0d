/**
 * @vault/provider-aws: AWS Secrets Manager for vaultlink. Importing this module loads no
 * AWS SDK code; the SDK is imported the first time a call needs the network.
 */
import { defineProvider, type Provider } from '@vault/core/provider';
import { AwsClients } from './client.js';
import { authenticate, refresh } from './connect.js';
import { describeLink } from './describe.js';
import { documentKey, parseLink, summarize, type AwsLink } from './link.js';
import { CONNECT_FLAGS, LINK_FLAGS, PROVIDER_ID, type AwsProviderOptions } from './options.js';
import { BATCH_LIMIT, batchKey, readSecret, readSecrets } from './read.js';
import type { AwsSessionData } from './session.js';
import { valueFor, type SecretDocument } from './value.js';

export type AwsProvider = Provider<AwsLink, AwsSessionData, SecretDocument>;

/** Makes a provider with its own SDK clients and AssumeRole cache. */
export function createAwsProvider(options: AwsProviderOptions = {}): AwsProvider {
  const clients = new AwsClients(options);
  return defineProvider({
    id: PROVIDER_ID,
    displayName: 'AWS Secrets Manager',
    // GetSecretValue allows thousands of requests per second; 32 at once stays far below it.
    capabilities: { versions: false, adminManagedSetup: false, maxBatchSize: BATCH_LIMIT, concurrency: 32 },
    flags: { link: LINK_FLAGS, connect: CONNECT_FLAGS },
    parseLink,
    documentKey,
    batchKey,
    summarize,
    authenticate: (fields, io, context) => authenticate(clients, fields, io, context),
    refresh: (session, context) => refresh(clients, session, context),
    readDocument: (link, session, call) => readSecret(clients, link, session, call),
    readBatch: (links, session, call) => readSecrets(clients, links, session, call),
    select: valueFor,
    describe: (link, session, call) => describeLink(clients, link, session, call),
  });
}

/** The provider vaultlink loads by name (`aws`). */
export const awsProvider: AwsProvider = createAwsProvider();
export default awsProvider;

export { parseRoleArn, parseSecretArn, PARTITIONS, ROLE_ARN_SHAPE, SECRET_ARN_SHAPE } from './arn.js';
export type { Partition, RoleArn, SecretArn } from './arn.js';
export { AUTOFILL_PROFILES } from './credentials.js';
export type { AwsLink } from './link.js';
export type { AwsProviderOptions, ConnectOptions, CredentialSourceKind } from './options.js';
export type { AwsSession, AwsSessionData, CredentialSource, StoredCredentials } from './session.js';
