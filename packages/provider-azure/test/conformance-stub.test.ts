/**
 * The provider testkit against an in-memory Key Vault on nock, signed in with a client secret at
 * a stubbed Entra ID. This run covers what Lowkey Vault cannot show (a real 403 for an
 * application without a role: the "not found vs access denied" group); the run against Lowkey
 * over verified TLS is test/integration/conformance.int.test.ts.
 */
import nock from 'nock';
import { runProviderConformance, type ConformanceFixtures } from '@vault/provider-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyProvider, Session } from '@vault/core/provider';
import { createAzureProvider } from '../src/index.js';
import { AUTHORITY_HOST, TENANT_ID, entraError, startEntraStub, type EntraStub } from './support/entra-stub.js';
import { recordingIO } from './support/io.js';
import { memoryKeyVault, type MemoryKeyVault } from './support/keyvault-memory.js';

const READER = '11111111-2222-3333-4444-555555555555';
const NOBODY = '99999999-8888-7777-6666-555555555555';
/** A client secret Entra no longer accepts (rotated away after the session was stored). */
const ROTATED = 'rotated-away-client-secret';
const VAULT = 'https://conformance.vault.azure.net';

let entra: EntraStub;
let kv: MemoryKeyVault;

const connect = (provider: AnyProvider, clientId: string) =>
  provider.authenticate(
    {
      method: 'client-secret',
      tenant: TENANT_ID,
      clientId,
      clientSecret: `secret-of-${clientId}`,
      authorityHost: AUTHORITY_HOST,
      disableInstanceDiscovery: true,
    },
    recordingIO(),
    {},
  ) as Promise<Session>;

describe('conformance on an in-memory Key Vault (nock)', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    entra = startEntraStub();
    const issue = entra.onToken;
    entra.onToken = (request) =>
      request.client_secret === ROTATED
        ? entraError('invalid_client', 'AADSTS7000222: The provided client secret keys are expired.', 401)
        : issue(request);
    kv = memoryKeyVault(VAULT);
    kv.deniedApps.add(NOBODY);
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  async function fixtures(): Promise<ConformanceFixtures> {
    const oldVersion = kv.set('versions', 'stub-old-Qz7');
    kv.set('versions', 'stub-new-Rk3');
    kv.set('doc', 'stub-doc-Wp5');
    for (const x of ['a', 'b', 'c']) kv.set(`distinct-${x}`, `stub-distinct-${x}-Hm2`);
    const id = (name: string) => `${VAULT}/secrets/${name}`;
    return {
      latest: { fields: { id: id('versions') }, value: 'stub-new-Rk3' },
      pinned: {
        fields: { id: `${id('versions')}/${oldVersion}` },
        value: 'stub-old-Qz7',
        latestOfSameSecret: { fields: { id: id('versions') }, value: 'stub-new-Rk3' },
      },
      missing: { fields: { id: id('missing') } },
      denied: { fields: { id: id('versions') }, session: await connect(createAzureProvider(), NOBODY) },
      sameDocument: [
        { fields: { id: id('doc') }, value: 'stub-doc-Wp5' },
        { fields: { id: `${id('DOC')}/` }, value: 'stub-doc-Wp5' },
      ],
      distinct: ['a', 'b', 'c'].map((x) => ({ fields: { id: id(`distinct-${x}`) }, value: `stub-distinct-${x}-Hm2` })),
      invalid: [
        { fields: { id: '' }, field: 'id' },
        { fields: { id: id('versions').replace('https://', 'http://') }, field: 'scheme' },
        { fields: { id: `${VAULT}/keys/versions` }, field: 'path' },
        { fields: { id: id('bad_name') }, field: 'name' },
        { fields: { id: `${id('versions')}/v2` }, field: 'version' },
        { fields: { id: 'https://x.vault.azure.net/secrets/a' }, field: 'vault' },
      ],
    };
  }

  runProviderConformance(
    { describe, it, expect, beforeAll, afterAll },
    {
      name: '@vault/provider-azure on an in-memory Key Vault',
      createProvider: () => createAzureProvider({ maxRetries: 0 }),
      createSession: (provider) => connect(provider, READER),
      fixtures,
      upstreamCalls: {
        reset: () => void (kv.reads = 0),
        count: () => kv.reads,
      },
      // A stored session whose client secret was rotated away in Entra since it was stored.
      expiredSession: async (provider) => {
        const session = await connect(provider, READER);
        return { ...session, data: { ...(session.data as object), clientSecret: ROTATED } };
      },
      // Proved on the built package against Lowkey Vault in test/integration/conformance.int.test.ts.
      skip: { lazySdk: 'checked on the built package in the Lowkey Vault run' },
    },
  );
});
