/**
 * The whole vaultlink conformance kit against moto's Parameter Store with IAM auth enforced. Sessions sign
 * with profiles of the shared credentials file: a reader allowed ssm:GetParameter and ssm:GetParameters, a
 * user allowed nothing, and an access key moto never issued. A proxy in front of moto counts the requests.
 */
import { fileURLToPath } from 'node:url';
import type { AnyProvider, Session } from '@vault/core/provider';
import { runProviderConformance, type ConformanceFixtures } from '@vault/provider-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import provider from '../src/index.js';
import { countingProxy, moto, quietIo, seeder, sharedFiles, unique } from './moto.js';

const peer = moto();
const seed = seeder(peer);
const aws = sharedFiles();
let proxy: Awaited<ReturnType<typeof countingProxy>>;

beforeAll(async () => {
  proxy = await countingProxy(peer.endpoint);
  process.env.AWS_ENDPOINT_URL = proxy.url;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  seed.close();
  aws.close();
  await proxy?.close();
});

const connect = (p: AnyProvider, profile: string): Promise<Session> => p.authenticate({ region: peer.region, profile }, quietIo(), {});

async function fixtures(): Promise<ConformanceFixtures> {
  const prefix = `/${unique('conformance')}`;
  aws.profile('reader', await seed.user(['ssm:GetParameter', 'ssm:GetParameters']));
  aws.profile('nobody', await seed.user([]));
  aws.profile('revoked', { accessKeyId: 'AKIAREVOKEDKEY000001', secretAccessKey: 'revoked' });
  const latestArn = await seed.parameter(`${prefix}/api-key`, ['conformance-latest-Vq9']);
  await seed.parameter(`${prefix}/rotated`, ['conformance-old-Hd3', 'conformance-new-Pw8']);
  const distinct = Array.from({ length: 12 }, (_, i) => ({ name: `${prefix}/distinct-${i}`, value: `conformance-distinct-${i}-Zx4` }));
  for (const [i, { name, value }] of distinct.entries()) await seed.parameter(name, [value], i % 2 ? 'String' : 'SecureString');
  return {
    latest: { fields: { name: latestArn }, value: 'conformance-latest-Vq9' },
    pinned: {
      fields: { name: `${prefix}/rotated`, version: '1' },
      value: 'conformance-old-Hd3',
      latestOfSameSecret: { fields: { name: `${prefix}/rotated` }, value: 'conformance-new-Pw8' },
    },
    missing: { fields: { name: `${prefix}/missing` } },
    denied: { fields: { name: `${prefix}/api-key` }, session: await connect(provider, 'nobody') },
    // One parameter linked twice (the field readers trim what the user typed): one document, one read.
    sameDocument: [
      { fields: { name: `${prefix}/rotated` }, value: 'conformance-new-Pw8' },
      { fields: { name: ` ${prefix}/rotated ` }, value: 'conformance-new-Pw8' },
    ],
    // 12 parameters, String and SecureString: two GetParameters calls of at most 10.
    distinct: distinct.map(({ name, value }) => ({ fields: { name }, value })),
    invalid: [
      { fields: {}, field: 'name' },
      { fields: { name: 'team api key' }, field: 'name' },
      { fields: { name: '/team/api-key:3' }, field: 'name' },
      { fields: { name: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' }, field: 'name' },
      { fields: { name: 'arn:aws:ssm:us-east-1:12345:parameter/team/api-key' }, field: 'name' },
      { fields: { name: '/team/api-key', version: '0' }, field: 'version' },
      { fields: { name: '/team/api-key', version: 'latest' }, field: 'version' },
      { fields: { name: '/team/api-key', version: ' ' }, field: 'version' },
      { fields: { name: '/team/api-key', arn: 'x' }, field: 'arn' },
    ],
  };
}

runProviderConformance(
  { describe, it, expect, beforeAll, afterAll },
  {
    name: 'vaultlink-provider-aws-ssm on moto (auth enforced)',
    timeoutMs: 60_000,
    createProvider: () => provider,
    createSession: (p) => connect(p, 'reader'),
    fixtures,
    upstreamCalls: { reset: () => proxy.reset(), count: () => proxy.count('GetParameter', 'GetParameters') },
    // A profile whose access key moto never issued (or no longer knows): AWS itself refuses the session.
    expiredSession: async () => ({
      provider: 'aws-ssm',
      organization: '123456789012',
      principal: 'revoked',
      expiresAt: null,
      createdAt: new Date().toISOString(),
      data: { region: peer.region, profile: 'revoked' },
    }),
    // The built package loads no AWS SDK until its first read (here with keys from the environment, against a closed port).
    lazySdk: {
      entries: [fileURLToPath(new URL('../dist/index.js', import.meta.url))],
      sdkPackages: ['@aws-sdk/client-ssm', '@aws-sdk/client-sts', '@aws-sdk/credential-providers'],
      link: { name: '/team/api-key' },
      session: { provider: 'aws-ssm', organization: 'o', principal: 'p', expiresAt: null, createdAt: '', data: { region: 'us-east-1' } },
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIAPROBE00000000001', AWS_SECRET_ACCESS_KEY: 'probe', AWS_MAX_ATTEMPTS: '1' },
    },
  },
);
