/**
 * connect: keys from flags or prompts, autofill from the shared files (profile `main`,
 * else `default`), `--profile` and `--from-env` through the SDK, MFA through STS
 * GetSessionToken, and the GetCallerIdentity check. STS is a nock fake.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultError, readLinks } from '@vault/core/provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsProvider, type AwsSession } from '../src/index.js';
import { arnOf, fakeAws, resetFakes, signedWith, stsError, stsIdentity, stsSessionToken, useFakeEndpoints } from './helpers/fake-aws.js';
import { scriptedIo, signal } from './helpers/fixtures.js';

beforeAll(useFakeEndpoints);
afterEach(resetFakes);

const dir = mkdtempSync(join(tmpdir(), 'vaultlink-aws-connect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function file(text: string): string {
  const path = join(dir, `f${++fileCount}`);
  writeFileSync(path, text);
  return path;
}

const MAIN = { id: 'AKIAMAINPROFILE00001', secret: 'main-profile-secret' };
const DEFAULT = { id: 'AKIADEFAULTPROFILE01', secret: 'default-profile-secret' };

function identityFake() {
  return fakeAws({ sts: (op) => (op === 'GetCallerIdentity' ? stsIdentity() : stsError('InvalidAction', op, 400)) });
}

async function connectionError(action: Promise<unknown>): Promise<VaultError> {
  const error = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

describe('keys from flags and prompts', () => {
  it('checks the keys with GetCallerIdentity and stores account, ARN and credentials', async () => {
    const aws = identityFake();
    const session = await createAwsProvider().authenticate(
      { accessKeyId: 'AKIAFLAGS00000000001', secretAccessKey: 'flag-secret', region: 'eu-central-1' },
      scriptedIo(),
      {},
    );
    expect(session).toMatchObject({
      provider: 'aws',
      organization: '123456789012',
      principal: 'account 123456789012 (arn:aws:iam::123456789012:user/alice)',
      expiresAt: null,
      data: {
        credentials: { accessKeyId: 'AKIAFLAGS00000000001', secretAccessKey: 'flag-secret' },
        region: 'eu-central-1',
        source: { kind: 'keys' },
      },
    });
    expect(aws.ops()).toEqual(['GetCallerIdentity']);
    expect(signedWith(aws.calls[0]!)).toBe('AKIAFLAGS00000000001');
  });

  it('lists every missing field at once when nobody can be prompted', async () => {
    const aws = identityFake();
    const error = await connectionError(createAwsProvider().authenticate({}, scriptedIo(), {}));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((i) => i.field)).toEqual(['access-key-id', 'secret-access-key', 'region']);
    expect(error.issues.find((i) => i.field === 'secret-access-key')!.expected).toContain('--secret-access-key-stdin');
    expect(aws.calls).toHaveLength(0);
  });

  it('prompts on a TTY for what is missing, hiding the secret key', async () => {
    identityFake();
    const io = scriptedIo({
      interactive: true,
      answers: [
        [/access key ID/, 'AKIAPROMPTED00000001'],
        [/secret access key/, 'prompted-secret'],
        [/region/, 'us-west-2'],
      ],
    });
    const session = await createAwsProvider().authenticate({}, io, {});
    expect(io.prompts).toEqual([
      { question: 'AWS access key ID', secret: false },
      { question: 'AWS secret access key', secret: true },
      { question: 'AWS region', secret: false },
    ]);
    expect(session.data.credentials.accessKeyId).toBe('AKIAPROMPTED00000001');
    expect(session.data.region).toBe('us-west-2');
  });

  it('rejects malformed options, naming each field, before any call', async () => {
    const aws = identityFake();
    const error = await connectionError(
      createAwsProvider().authenticate(
        { accessKeyId: 'lowercase', region: 'mars-1', mfaCode: '12ab', mfaSerial: 'x', profile: 'p', fromEnv: true },
        scriptedIo(),
        {},
      ),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((i) => i.field)).toEqual(['access-key-id', 'region', 'mfa-serial', 'mfa-code', 'from-env', 'access-key-id']);
    expect(error.message).not.toContain('12ab');
    expect(aws.calls).toHaveLength(0);
  });

  it('reports keys AWS rejects as AUTH_FAILED, not NOT_FOUND', async () => {
    fakeAws({
      sts: () => stsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'),
    });
    const error = await connectionError(
      createAwsProvider().authenticate(
        { accessKeyId: 'AKIAFLAGS00000000001', secretAccessKey: 'wrong', region: 'us-east-1' },
        scriptedIo(),
        {},
      ),
    );
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.fix).toMatchObject({ action: 'connect', provider: 'aws' });
    expect(error.message).not.toContain('wrong');
  });
});

describe('--from-credentials-file', () => {
  it('uses profile "main" when both main and default are present', async () => {
    const aws = identityFake();
    const credentials = file(
      `[default]\naws_access_key_id = ${DEFAULT.id}\naws_secret_access_key = ${DEFAULT.secret}\n\n[main]\naws_access_key_id = ${MAIN.id}\naws_secret_access_key = ${MAIN.secret}\n`,
    );
    const config = file('[default]\nregion = us-east-1\n\n[profile main]\nregion = ap-southeast-2\n');
    const io = scriptedIo({ env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config } });
    const session = await createAwsProvider().authenticate({ fromCredentialsFile: true }, io, {});
    expect(session.data.credentials).toEqual({ accessKeyId: MAIN.id, secretAccessKey: MAIN.secret });
    expect(session.data.region).toBe('ap-southeast-2');
    expect(session.data.source).toEqual({ kind: 'credentials-file', profile: 'main', credentialsFile: credentials, configFile: config });
    expect(io.infos.join('\n')).toContain('profile "main"');
    expect(signedWith(aws.calls[0]!)).toBe(MAIN.id);
  });

  it('uses profile "default" when there is no main', async () => {
    const aws = identityFake();
    const credentials = file(
      `[default]\naws_access_key_id = ${DEFAULT.id}\naws_secret_access_key = ${DEFAULT.secret}\nregion = eu-north-1\n\n[other]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = x\n`,
    );
    const session = await createAwsProvider().authenticate(
      { fromCredentialsFile: true },
      scriptedIo({ env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'none') } }),
      {},
    );
    expect(session.data.credentials).toEqual({ accessKeyId: DEFAULT.id, secretAccessKey: DEFAULT.secret });
    expect(session.data.region).toBe('eu-north-1');
    expect(session.data.source.profile).toBe('default');
    expect(signedWith(aws.calls[0]!)).toBe(DEFAULT.id);
  });

  it('lets flags override file values field by field', async () => {
    identityFake();
    const credentials = file(
      `[default]\naws_access_key_id = ${DEFAULT.id}\naws_secret_access_key = ${DEFAULT.secret}\nregion = eu-north-1\n`,
    );
    const session = await createAwsProvider().authenticate(
      { fromCredentialsFile: true, region: 'sa-east-1' },
      scriptedIo({ env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'none') } }),
      {},
    );
    expect(session.data.region).toBe('sa-east-1');
    expect(session.data.credentials.accessKeyId).toBe(DEFAULT.id);
  });

  it('fails with INVALID_INPUT naming the files when neither profile exists', async () => {
    const credentials = file('[work]\naws_access_key_id = AKIAWORK000000000001\naws_secret_access_key = x\n');
    const error = await connectionError(
      createAwsProvider().authenticate(
        { fromCredentialsFile: true },
        scriptedIo({ env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'none') } }),
        {},
      ),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues[0]).toMatchObject({ field: 'from-credentials-file', problem: expect.stringContaining(credentials) });
  });

  it('lists what the chosen profile lacks', async () => {
    const credentials = file('[main]\naws_access_key_id = AKIAMAINONLYID000001\n');
    const error = await connectionError(
      createAwsProvider().authenticate(
        { fromCredentialsFile: true },
        scriptedIo({ env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'none') } }),
        {},
      ),
    );
    expect(error.issues.map((i) => [i.field, i.problem])).toEqual([
      ['secret-access-key', 'is missing in profile "main" (and not given as a flag)'],
      ['region', 'is missing in profile "main" (and not given as a flag)'],
    ]);
  });
});

describe('MFA', () => {
  const temp = {
    accessKeyId: 'ASIAMFASESSION000001',
    secretAccessKey: 'mfa-secret',
    sessionToken: 'mfa-token',
    expiration: new Date(Date.now() + 12 * 3_600_000),
  };
  const serial = 'arn:aws:iam::123456789012:mfa/alice';

  function mfaFake() {
    return fakeAws({
      sts: (op) =>
        op === 'GetSessionToken' ? stsSessionToken(temp) : op === 'GetCallerIdentity' ? stsIdentity() : stsError('InvalidAction', op, 400),
    });
  }

  it('gets a session through STS GetSessionToken with the serial and code; the session expires with it', async () => {
    const aws = mfaFake();
    const session = await createAwsProvider().authenticate(
      { accessKeyId: 'AKIALONGTERM00000001', secretAccessKey: 'long-term', region: 'us-east-1', mfaSerial: serial, mfaCode: '123456' },
      scriptedIo(),
      {},
    );
    expect(aws.ops()).toEqual(['GetSessionToken', 'GetCallerIdentity']);
    expect(aws.calls[0]!.body).toMatchObject({ Action: 'GetSessionToken', SerialNumber: serial, TokenCode: '123456' });
    expect(signedWith(aws.calls[0]!)).toBe('AKIALONGTERM00000001');
    expect(signedWith(aws.calls[1]!)).toBe(temp.accessKeyId);
    expect(session.expiresAt).toBe(temp.expiration.toISOString());
    expect(session.data.credentials).toEqual({ ...temp, expiration: temp.expiration.toISOString() });
    expect(session.data.source.mfaSerial).toBe(serial);
  });

  it('takes mfa_serial from the profile and prompts for the code on a TTY', async () => {
    const aws = mfaFake();
    const credentials = file(
      `[default]\naws_access_key_id = ${DEFAULT.id}\naws_secret_access_key = ${DEFAULT.secret}\nregion = us-east-1\nmfa_serial = ${serial}\n`,
    );
    const io = scriptedIo({
      interactive: true,
      env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'none') },
      answers: [[/MFA code/, '654321']],
    });
    await createAwsProvider().authenticate({ fromCredentialsFile: true }, io, {});
    expect(io.prompts.map((p) => p.question)).toEqual([`MFA code for ${serial}`]);
    expect(aws.calls[0]!.body).toMatchObject({ SerialNumber: serial, TokenCode: '654321' });
  });

  it('requires the code when nobody can be prompted', async () => {
    const aws = mfaFake();
    const error = await connectionError(
      createAwsProvider().authenticate(
        { accessKeyId: 'AKIALONGTERM00000001', secretAccessKey: 'x', region: 'us-east-1', mfaSerial: serial },
        scriptedIo(),
        {},
      ),
    );
    expect(error.issues.map((i) => i.field)).toEqual(['mfa-code']);
    expect(aws.calls).toHaveLength(0);
  });

  it('turns AWS refusing the code into AUTH_FAILED asking for a fresh code', async () => {
    fakeAws({ sts: () => stsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.') });
    const error = await connectionError(
      createAwsProvider().authenticate(
        { accessKeyId: 'AKIALONGTERM00000001', secretAccessKey: 'x', region: 'us-east-1', mfaSerial: serial, mfaCode: '000000' },
        scriptedIo(),
        {},
      ),
    );
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.fix).toMatchObject({ action: 'connect', provider: 'aws', flags: { 'mfa-code': 'CODE' } });
  });

  it('needs a person again once the MFA session has expired', async () => {
    const aws = fakeAws({});
    const p = createAwsProvider();
    const session: AwsSession = {
      provider: 'aws',
      organization: '123456789012',
      principal: 'x',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
      data: {
        credentials: { ...temp, expiration: new Date(Date.now() - 60_000).toISOString() },
        region: 'us-east-1',
        source: { kind: 'keys', mfaSerial: serial },
      },
    };
    const [result] = await readLinks(p, [p.parseLink({ arn: arnOf('x') })], session, { signal: signal() });
    expect(result).toMatchObject({ ok: false, error: { code: 'REAUTH_REQUIRED', fix: { action: 'reauth', provider: 'aws' } } });
    await expect(p.refresh!(session, {})).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    expect(aws.calls).toHaveLength(0);
  });
});

describe('SDK sources', () => {
  it('--profile reads a named profile through the SDK ini provider, and refresh re-reads it', async () => {
    const aws = identityFake();
    const credentials = file('[ci]\naws_access_key_id = AKIACIPROFILE0000001\naws_secret_access_key = ci-secret\n');
    const config = file('[profile ci]\nregion = ca-central-1\n');
    const p = createAwsProvider();
    const session = await p.authenticate(
      { profile: 'ci' },
      scriptedIo({ env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config } }),
      {},
    );
    expect(session.data.credentials.accessKeyId).toBe('AKIACIPROFILE0000001');
    expect(session.data.region).toBe('ca-central-1');
    expect(session.data.source).toMatchObject({ kind: 'profile', profile: 'ci' });

    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIACIROTATED0000001\naws_secret_access_key = rotated\n');
    const renewed = await p.refresh!(session, {});
    expect(renewed.data.credentials.accessKeyId).toBe('AKIACIROTATED0000001');
    expect(aws.calls.map(signedWith)).toEqual(['AKIACIPROFILE0000001', 'AKIACIROTATED0000001']);
  });

  it('--profile with an unknown profile is AUTH_FAILED naming the fix', async () => {
    const credentials = file('[ci]\naws_access_key_id = AKIACIPROFILE0000001\naws_secret_access_key = ci-secret\n');
    const error = await connectionError(
      createAwsProvider().authenticate(
        { profile: 'nope', region: 'us-east-1' },
        scriptedIo({ env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'none') } }),
        {},
      ),
    );
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('nope');
  });

  it('--from-env uses the SDK default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN)', async () => {
    const aws = identityFake();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'ASIAFROMENV000000001',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_SESSION_TOKEN: 'env-token',
      AWS_REGION: 'us-east-2',
    });
    try {
      const session = await createAwsProvider().authenticate({ fromEnv: true }, scriptedIo({ env: process.env }), {});
      expect(session.data.credentials).toMatchObject({
        accessKeyId: 'ASIAFROMENV000000001',
        secretAccessKey: 'env-secret',
        sessionToken: 'env-token',
      });
      expect(session.data.region).toBe('us-east-2');
      expect(session.data.source).toEqual({ kind: 'env' });
      expect(signedWith(aws.calls[0]!)).toBe('ASIAFROMENV000000001');
    } finally {
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
