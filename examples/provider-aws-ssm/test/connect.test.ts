/**
 * Signing in the way AWS tools do (a profile of the shared files, or the SDK's default chain), checked with
 * STS GetCallerIdentity against moto with IAM auth enforced; the session keeps no key; bad input is named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import provider from '../src/index.js';
import { moto, quietIo, seeder, sharedFiles, unique, type Keys } from './moto.js';

type Session = Awaited<ReturnType<typeof provider.authenticate>>;

const peer = moto();
const seed = seeder(peer);
const aws = sharedFiles();
const name = `/${unique('connect')}/token`;
let reader: Keys;
const read = async (session: Session) => {
  const link = provider.parseLink({ name });
  return provider.select(link, await provider.readDocument(link, session, { signal: new AbortController().signal, timeoutMs: 10_000 })).value;
};

beforeAll(async () => {
  process.env.AWS_ENDPOINT_URL = peer.endpoint;
  reader = await seed.user(['ssm:GetParameter']);
  await seed.parameter(name, ['connect-value-Tq1']);
});
afterAll(() => {
  delete process.env.AWS_ENDPOINT_URL;
  seed.close();
  aws.close();
});

describe('connect', () => {
  it('with --profile: checks the keys with STS, names the account and user, and keeps only the profile name', async () => {
    const session = await provider.authenticate({ region: peer.region, profile: aws.profile('team', reader) }, quietIo(), {});
    expect(session).toMatchObject({ provider: 'aws-ssm', organization: '123456789012' });
    expect(session.principal).toMatch(/^account 123456789012 \(arn:aws:iam::123456789012:user\/ssm-user-/);
    expect(session.data).toEqual({ region: peer.region, profile: 'team' });
    expect(JSON.stringify(session)).not.toContain(reader.secretAccessKey);
    expect(await read(session)).toBe('connect-value-Tq1');
  });

  it('reads the profile on each use: new keys in the file take effect, a removed profile is REAUTH_REQUIRED', async () => {
    const session = await provider.authenticate({ region: peer.region, profile: aws.profile('rotating', reader) }, quietIo(), {});
    expect(await read(session)).toBe('connect-value-Tq1');
    aws.profile('rotating', await seed.user([]));
    await expect(read(session)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    aws.remove('rotating');
    await expect(read(session)).rejects.toMatchObject({ code: 'REAUTH_REQUIRED', fix: { action: 'reauth', provider: 'aws-ssm' } });
  });

  it('without a profile: the SDK default chain (AWS_ACCESS_KEY_ID, ...) on each use', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: reader.accessKeyId, AWS_SECRET_ACCESS_KEY: reader.secretAccessKey });
    try {
      const session = await provider.authenticate({ region: peer.region }, quietIo(), {});
      expect(session.data).toEqual({ region: peer.region });
      expect(await read(session)).toBe('connect-value-Tq1');
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('with keys AWS does not know, or a profile that does not exist: AUTH_FAILED, no secret in the error', async () => {
    const unknown = aws.profile('unknown', { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'connect-secret-never-printed' });
    for (const [profile, awsError] of [[unknown, 'InvalidClientTokenId'], ['no-such-profile', 'CredentialsProviderError']]) {
      const error = await provider.authenticate({ region: peer.region, profile }, quietIo(), {}).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'AUTH_FAILED', details: { awsError, action: 'sts:GetCallerIdentity' } });
      expect(JSON.stringify((error as { toJSON(): unknown }).toJSON()) + String(error)).not.toContain('connect-secret');
    }
  });

  it.each([
    [{}, 'is missing'],
    [{ region: 'mars-1', profile: 'team' }, '"mars-1" is not an AWS region'],
  ])('names a bad region with the expected form (%j): INVALID_INPUT', async (fields, problem) => {
    const error = await provider.authenticate(fields, quietIo(), {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ field: 'region', problem, expected: expect.stringContaining('us-east-1') }] });
  });
});
