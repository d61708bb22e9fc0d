/**
 * What the conformance kit does not cover, against moto with IAM auth enforced: which permission each
 * read needs, batches for callers who may only read one parameter at a time, missing versions, describe,
 * and vaultlink codes for faults (throttling and server errors from a proxy, a closed port).
 */
import { readLinks } from '@vault/core/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import provider from '../src/index.js';
import { countingProxy, moto, quietIo, seeder, sharedFiles, unique, type Keys } from './moto.js';

type Session = Awaited<ReturnType<typeof provider.authenticate>>;

const peer = moto();
const seed = seeder(peer);
const aws = sharedFiles();
let proxy: Awaited<ReturnType<typeof countingProxy>>;
const prefix = `/${unique('reads')}`;
const call = () => ({ signal: new AbortController().signal, timeoutMs: 10_000 });
const connect = (keys: Keys): Promise<Session> => provider.authenticate({ region: peer.region, profile: aws.profile(unique('p'), keys) }, quietIo(), {});
const codes = (results: Awaited<ReturnType<typeof readLinks>>) => results.map((r) => (r.ok ? r.value : r.error.code));

beforeAll(async () => {
  proxy = await countingProxy(peer.endpoint);
  process.env.AWS_ENDPOINT_URL = proxy.url;
  await seed.parameter(`${prefix}/a`, ['value-a-1', 'value-a-2']);
  await seed.parameter(`${prefix}/b`, ['value-b-1'], 'String');
  await seed.parameter(`${prefix}/c`, ['value-c-1']);
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  seed.close();
  aws.close();
  await proxy?.close();
});

describe('permissions', () => {
  it('a caller allowed only ssm:GetParameter still reads a batch: AWS refuses GetParameters, vaultlink reads each parameter alone', async () => {
    const session = await connect(await seed.user(['ssm:GetParameter']));
    proxy.reset();
    const links = ['a', 'b', 'c'].map((name) => provider.parseLink({ name: `${prefix}/${name}` }));
    expect(codes(await readLinks(provider, links, session))).toEqual(['value-a-2', 'value-b-1', 'value-c-1']);
    expect([proxy.count('GetParameters'), proxy.count('GetParameter')]).toEqual([1, 3]);
  });

  it('a caller allowed only ssm:GetParameters reads batches, and a lone parameter is ACCESS_DENIED naming ssm:GetParameter', async () => {
    const session = await connect(await seed.user(['ssm:GetParameters']));
    const links = ['a', 'b'].map((name) => provider.parseLink({ name: `${prefix}/${name}` }));
    expect(codes(await readLinks(provider, links, session))).toEqual(['value-a-2', 'value-b-1']);
    const [alone] = await readLinks(provider, [links[0]!], session);
    expect(alone).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED', fix: { action: 'manual', text: 'ask your AWS admin to allow ssm:GetParameter' } } });
    expect(!alone!.ok && alone!.error.message).toContain(`ssm:GetParameter on ${prefix}/a`);
  });
});

describe('reads', () => {
  let session: Session;
  beforeAll(async () => {
    session = await connect(await seed.user(['ssm:GetParameter', 'ssm:GetParameters']));
  });

  it('pinned and latest versions of one parameter in one GetParameters, and a version that does not exist is NOT_FOUND', async () => {
    proxy.reset();
    const links = [{ version: '1' }, {}, { version: '3' }].map((pin) => provider.parseLink({ name: `${prefix}/a`, ...pin }));
    const results = await readLinks(provider, links, session);
    expect(codes(results)).toEqual(['value-a-1', 'value-a-2', 'NOT_FOUND']);
    expect(results.slice(0, 2).map((r) => r.ok && r.version)).toEqual(['1', '2']);
    expect(proxy.count('GetParameters', 'GetParameter')).toBe(1);
    const [alone] = await readLinks(provider, [links[2]!], session);
    expect(alone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', fix: { action: 'relink', provider: 'aws-ssm' } } });
  });

  it('describe tells the type, version and ARN, never the value', async () => {
    const info = await provider.describe(provider.parseLink({ name: `${prefix}/a` }), session, call());
    expect(info).toMatchObject({ name: `${prefix}/a`, type: 'SecureString', version: 2, arn: expect.stringMatching(/^arn:aws:ssm:/) });
    expect(JSON.stringify(info)).not.toContain('value-a');
  });
});

describe('faults', () => {
  const link = () => provider.parseLink({ name: `${prefix}/a` });

  it('a closed port is PROVIDER_UNAVAILABLE', async () => {
    const session = await connect(await seed.user(['ssm:GetParameter']));
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    try {
      await expect(provider.readDocument(link(), session, call())).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', fix: { action: 'retry' } });
    } finally {
      process.env.AWS_ENDPOINT_URL = proxy.url;
    }
  });

  it.each([
    [429, 'ThrottlingException', 'THROTTLED'],
    [500, 'InternalServerError', 'PROVIDER_UNAVAILABLE'],
  ])('HTTP %i %s after the SDK\'s retries is %s', async (status, awsError, code) => {
    const session = await connect(await seed.user(['ssm:GetParameter']));
    const fault = await countingProxy(peer.endpoint, { status, awsError });
    process.env.AWS_ENDPOINT_URL = fault.url;
    try {
      await expect(provider.readDocument(link(), session, call())).rejects.toMatchObject({ code, details: { awsError } });
      expect(fault.count('GetParameter')).toBe(3); // the SDK's standard retry strategy: three attempts
    } finally {
      process.env.AWS_ENDPOINT_URL = proxy.url;
      await fault.close();
    }
  });
});
