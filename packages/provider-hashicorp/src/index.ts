/**
 * @vault/provider-hashicorp: HashiCorp Vault (and OpenBao) for vaultlink. A team admin sets
 * the integration up once (`vaultlink setup hashicorp`); members sign in through Vault's
 * OIDC provider and a JWT auth role, then link keys of KV v1/v2 secrets.
 * Importing this module loads no SDK: node-vault, axios and openid-client are imported on
 * the first network call.
 */
import { defineProvider, type AuthContext, type Provider } from '@vault/core/provider';
import { ClientFactory, type CallOptions, type ClientTuning } from './client.js';
import { authenticate } from './connect.js';
import { describeLink } from './describe.js';
import type { EngineCache, KvDocument } from './kv.js';
import { documentKey, linkWarnings, parseLink, summarize, type HashicorpLink } from './link.js';
import { VaultLogin, type HashicorpSession, type HashicorpSessionData } from './login.js';
import { CONNECT_FLAGS, LINK_FLAGS, PROVIDER_ID, SETUP_FLAGS } from './options.js';
import { readDocument, selectKey } from './read.js';
import { runSetup, runTeardown } from './setup.js';

export type HashicorpProvider = Provider<HashicorpLink, HashicorpSessionData, KvDocument>;

export interface HashicorpProviderOptions extends ClientTuning {}

/** A fresh provider instance (own HTTP transport and engine-detection cache). */
export function createHashicorpProvider(options: HashicorpProviderOptions = {}): HashicorpProvider {
  const clients = new ClientFactory(options);
  const login = new VaultLogin(clients);
  const engines: EngineCache = new Map();
  const deps = { clients, login, engines };

  return defineProvider({
    id: PROVIDER_ID,
    displayName: 'HashiCorp Vault',
    // Vault has no multi-secret read: core reads one document per request, 16 at a time.
    // Token and AppRole sign-in also work without a team config (a personal connection with --vault-addr).
    capabilities: { versions: true, adminManagedSetup: true, concurrency: 16, connectWithoutTeam: true },
    flags: { link: LINK_FLAGS, connect: CONNECT_FLAGS, setup: SETUP_FLAGS },

    parseLink,
    linkWarnings,
    documentKey,
    summarize,

    authenticate: (fields, io, context) => authenticate(login, fields, io, context),
    refresh: (session: HashicorpSession, context) => login.renew(session, callOf(context)),
    signOut: (session: HashicorpSession, call) => login.signOut(session, call),

    readDocument: (link, session: HashicorpSession, call) => readDocument(deps, link, session, call),
    select: selectKey,
    describe: (link, session: HashicorpSession, call) => describeLink(deps, link, session, call),

    setup: (fields, io, context) => runSetup(clients, fields, io, callOf(context)),
    teardown: (team, fields, _io, call) => runTeardown(clients, team, fields, call),
  });
}

/** The signal and request timeout core hands to refresh and setup. */
function callOf(context: AuthContext): CallOptions {
  return {
    ...(context.signal ? { signal: context.signal } : {}),
    ...(context.timeoutMs !== undefined ? { timeoutMs: context.timeoutMs } : {}),
  };
}

export const hashicorpProvider: HashicorpProvider = createHashicorpProvider();
export default hashicorpProvider;

export type { HashicorpLink } from './link.js';
export type { HashicorpSession, HashicorpSessionData } from './login.js';
export type { HashicorpTeamSettings, ConnectMethod } from './options.js';
export { DEFAULT_REDIRECT_URI } from './options.js';
export { renderSetupCommands } from './commands.js';
