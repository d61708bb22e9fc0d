/**
 * @vault/provider-hashicorp: HashiCorp Vault (and OpenBao) for vaultlink. A team admin sets
 * the integration up once (`vaultlink setup hashicorp`); members sign in through Vault's
 * OIDC provider and a JWT auth role, then link keys of KV v1/v2 secrets.
 * Importing this module loads no SDK: node-vault, axios and openid-client are imported on
 * the first network call.
 */
import { PROVIDER_CONTRACT_VERSION, type FetchOptions, type Provider, type ProviderFields } from '@vault/core';
import { ClientFactory, type ClientTuning } from './client.js';
import { authenticate } from './connect.js';
import { describeLink } from './describe.js';
import { fetchLinks } from './fetch.js';
import type { EngineCache } from './kv.js';
import { documentKey, linkWarnings, parseLink, summarize, type HashicorpLink } from './link.js';
import { VaultLogin, type HashicorpSession, type HashicorpSessionData } from './login.js';
import { CONNECT_FLAGS, LINK_FLAGS, PROVIDER_ID, SETUP_FLAGS } from './options.js';
import { runSetup, runTeardown } from './setup.js';

export type HashicorpProvider = Provider<HashicorpLink, HashicorpSessionData>;

export interface HashicorpProviderOptions extends ClientTuning {}

/** A fresh provider instance (own HTTP transport and engine-detection cache). */
export function createHashicorpProvider(options: HashicorpProviderOptions = {}): HashicorpProvider {
  const clients = new ClientFactory(options);
  const login = new VaultLogin(clients);
  const engines: EngineCache = new Map();
  const deps = { clients, login, engines };

  return {
    contractVersion: PROVIDER_CONTRACT_VERSION,
    id: PROVIDER_ID,
    displayName: 'HashiCorp Vault',
    // Vault has no multi-secret read: one request per document (documents are de-duplicated).
    // Token and AppRole sign-in also work without a team config (a personal connection with --vault-addr).
    capabilities: { versions: true, batch: false, adminManagedSetup: true, connectWithoutTeam: true },
    flags: { link: LINK_FLAGS, connect: CONNECT_FLAGS, setup: SETUP_FLAGS },

    parseLink: (fields: ProviderFields) => parseLink(fields),
    linkWarnings,
    documentKey,
    summarize,

    authenticate: (fields, io, context) => authenticate(login, fields, io, context),
    refresh: (session: HashicorpSession, context) => login.renew(session, context.signal ? { signal: context.signal } : {}),
    signOut: (session: HashicorpSession) => login.signOut(session),

    fetch: (links, session: HashicorpSession, options: FetchOptions) => fetchLinks(deps, links, session, options),
    describe: (link, session: HashicorpSession, options: FetchOptions) => describeLink(deps, link, session, options),

    setup: (fields, io) => runSetup(clients, fields, io),
    teardown: (team, fields) => runTeardown(clients, team, fields),
  };
}

export const hashicorpProvider: HashicorpProvider = createHashicorpProvider();
export default hashicorpProvider;

export type { HashicorpLink } from './link.js';
export type { HashicorpSession, HashicorpSessionData } from './login.js';
export type { HashicorpTeamSettings, ConnectMethod } from './options.js';
export { DEFAULT_REDIRECT_URI } from './options.js';
export { renderSetupCommands } from './commands.js';
