/**
 * The provider testkit against moto with auth enforced: real SigV4 and IAM policy checks.
 * Upstream reads are counted by SDK middleware on the provider's own clients.
 */
import { fileURLToPath } from 'node:url';
import type { Session } from '@vault/core/provider';
import { runProviderConformance, type ConformanceFixtures } from '@vault/provider-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allow,
  countingProvider,
  missingArn,
  motoSeeder,
  quietIo,
  READ_COMMANDS,
  requirePeer,
  uniqueName,
  useEndpoint,
  type CountingProvider,
} from './helpers.js';

const peer = requirePeer('moto-auth');

describe.skipIf(!peer)('conformance on moto (auth enforced)', () => {
  const seeder = motoSeeder(peer!);
  let restoreEndpoint: () => void = () => undefined;
  let reader: { accessKeyId: string; secretAccessKey: string } | undefined;
  let current: CountingProvider | undefined;

  beforeAll(() => {
    restoreEndpoint = useEndpoint(peer!.endpoint);
  });
  afterAll(() => {
    restoreEndpoint();
    seeder.destroy();
  });

  const connect = (provider: CountingProvider['provider'], keys: { accessKeyId: string; secretAccessKey: string }) =>
    provider.authenticate({ ...keys, region: peer!.region }, quietIo(), {}) as Promise<Session>;

  async function fixtures(): Promise<ConformanceFixtures> {
    const prefix = uniqueName('conf');
    const readPolicy = [allow(['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'secretsmanager:DescribeSecret'])];
    reader = await seeder.createUserWithPolicy(`${prefix}-reader`, readPolicy);
    const nobody = await seeder.createUserWithPolicy(`${prefix}-nobody`, []);
    const latest = await seeder.createSecret(`${prefix}/latest`, 'conformance-latest-Vq9');
    const doc = await seeder.createSecret(`${prefix}/doc`, JSON.stringify({ username: 'conf-user-Jk2', password: 'conf-pass-Lm7' }));
    const distinct = await Promise.all(
      ['a', 'b', 'c', 'd'].map((x) => seeder.createSecret(`${prefix}/distinct-${x}`, `conformance-distinct-${x}-Zx4`)),
    );
    const [, , , , account, ,] = latest.arn.split(':');
    const deniedSession = await connect(countingProvider().provider, nobody);
    return {
      latest: { fields: { arn: latest.arn }, value: 'conformance-latest-Vq9' },
      missing: { fields: { arn: missingArn(account!, peer!.region) } },
      denied: { fields: { arn: latest.arn }, session: deniedSession },
      sameDocument: [
        { fields: { arn: doc.arn, jsonKey: 'username' }, value: 'conf-user-Jk2' },
        { fields: { arn: doc.arn, jsonKey: 'password' }, value: 'conf-pass-Lm7' },
        { fields: { arn: doc.arn }, value: JSON.stringify({ username: 'conf-user-Jk2', password: 'conf-pass-Lm7' }) },
      ],
      distinct: distinct.map((s, i) => ({ fields: { arn: s.arn }, value: `conformance-distinct-${'abcd'[i]}-Zx4` })),
      invalid: [
        { fields: { arn: 'my-secret' }, field: 'arn' },
        { fields: { arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:partialname' }, field: 'arn' },
        { fields: { arn: 'arn:aws-cn:secretsmanager:us-east-1:123456789012:secret:x-abcdef' }, field: 'arn' },
        { fields: { arn: latest.arn, roleArn: 'arn:aws:iam::123456789012:user/alice' }, field: 'role-arn' },
        { fields: { arn: latest.arn, binary: 'hex' }, field: 'binary' },
        { fields: { arn: latest.arn, jsonKey: '' }, field: 'json-key' },
      ],
    };
  }

  runProviderConformance(
    { describe, it, expect, beforeAll, afterAll },
    {
      name: '@vault/provider-aws on moto',
      timeoutMs: 60_000,
      createProvider: () => {
        current = countingProvider();
        return current.provider;
      },
      createSession: async (provider) => {
        if (!reader) throw new Error('fixtures not seeded');
        return connect(provider as CountingProvider['provider'], reader);
      },
      fixtures,
      upstreamCalls: {
        reset: () => current?.reset(),
        count: () => current?.secretsManagerCalls().filter((c) => READ_COMMANDS.has(c.command)).length ?? 0,
      },
      // An access key moto has never issued: the upstream itself rejects the session.
      expiredSession: async () => ({
        provider: 'aws',
        organization: '123456789012',
        principal: 'revoked',
        expiresAt: null,
        createdAt: new Date().toISOString(),
        data: {
          credentials: { accessKeyId: 'AKIAREVOKEDKEY000001', secretAccessKey: 'revoked' },
          region: peer!.region,
          source: { kind: 'keys' },
        },
      }),
      // Loading the built provider loads no AWS SDK; the first read does (against a closed port).
      lazySdk: {
        entries: ['index.js', 'index.cjs'].map((file) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))),
        sdkPackages: [
          '@aws-sdk/client-secrets-manager',
          '@aws-sdk/client-sts',
          '@aws-sdk/credential-providers',
          '@smithy/node-http-handler',
        ],
        link: { arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-abcdef' },
        session: {
          provider: 'aws',
          organization: '123456789012',
          principal: 'p',
          expiresAt: null,
          createdAt: '',
          data: {
            credentials: { accessKeyId: 'AKIAPROBE00000000001', secretAccessKey: 's' },
            region: 'us-east-1',
            source: { kind: 'keys' },
          },
        },
        env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
      skip: {
        // Links read AWSCURRENT only, as in the seed ("You can only use the current version of the secret");
        // A link has no version field at all (LINK_FLAGS in src/options.ts).
        pinned: 'capabilities.versions is false: AWS links always read AWSCURRENT',
      },
    },
  );
});
