/**
 * @vault/provider-aws: AWS Secrets Manager for vaultlink. Importing this module loads no
 * AWS SDK code; the SDK is imported the first time a call needs the network.
 */
import { PROVIDER_CONTRACT_VERSION, type Provider } from '@vault/core';
import { AwsClients } from './client.js';
import { authenticate, refresh } from './connect.js';
import { describeLink } from './describe.js';
import { BATCH_LIMIT, fetchLinks } from './fetch.js';
import { documentKey, parseLink, summarize, type AwsLink } from './link.js';
import { CONNECT_FLAGS, LINK_FLAGS, PROVIDER_ID, type AwsProviderOptions } from './options.js';
import type { AwsSessionData } from './session.js';

export type AwsProvider = Provider<AwsLink, AwsSessionData>;

/** Makes a provider with its own SDK clients and AssumeRole cache. */
export function createAwsProvider(options: AwsProviderOptions = {}): AwsProvider {
  const clients = new AwsClients(options);
  return {
    contractVersion: PROVIDER_CONTRACT_VERSION,
    id: PROVIDER_ID,
    displayName: 'AWS Secrets Manager',
    capabilities: { versions: false, batch: true, adminManagedSetup: false, maxBatchSize: BATCH_LIMIT },
    flags: { link: LINK_FLAGS, connect: CONNECT_FLAGS },
    parseLink,
    documentKey,
    summarize,
    authenticate: (fields, io, context) => authenticate(clients, fields, io, context),
    refresh: (session, context) => refresh(clients, session, context),
    fetch: (links, session, fetchOptions) => fetchLinks(clients, links, session, fetchOptions),
    describe: (link, session, fetchOptions) => describeLink(clients, link, session, fetchOptions),
  };
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
