/**
 * moto without auth: MFA through STS GetSessionToken (moto does not check the code, so the
 * test asserts the exact STS call and that reads use the temporary credentials), and the
 * SDK's own credential sources (`--profile` with an assume-role profile, `--from-env`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsSession } from '../../src/index.js';
import { countingProvider, motoSeeder, quietIo, requirePeer, signal, uniqueName, useEndpoint } from './helpers.js';
import { readLinks } from '@vault/core/provider';

const peer = requirePeer('moto');

// moto without auth takes any well-formed key; these are ours, not moto's test defaults.
const LONG_TERM = { accessKeyId: 'AKIAVAULTLINKMFA0001', secretAccessKey: 'long-term-secret' };
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';

describe.skipIf(!peer)('AWS provider on moto: MFA and SDK credential sources', () => {
  const seeder = motoSeeder(peer!);
  const dir = mkdtempSync(join(tmpdir(), 'vaultlink-aws-mfa-'));
  const secret = { arn: '', value: 'mfa-secret-value-Hh6' };
  let restoreEndpoint: () => void = () => undefined;

  beforeAll(async () => {
    restoreEndpoint = useEndpoint(peer!.endpoint);
    secret.arn = (await seeder.createSecret(uniqueName('mfa/db'), secret.value)).arn;
  });
  afterAll(() => {
    restoreEndpoint();
    seeder.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with MFA through GetSessionToken(SerialNumber, TokenCode) and reads with the temporary credentials', async () => {
    const spy = countingProvider();
    const session = (await spy.provider.authenticate(
      { ...LONG_TERM, region: peer!.region, mfaSerial: SERIAL, mfaCode: '123456' },
      quietIo(),
      {},
    )) as AwsSession;

    const sts = spy.calls.filter((c) => c.service === 'sts');
    expect(sts.map((c) => c.command)).toEqual(['GetSessionTokenCommand', 'GetCallerIdentityCommand']);
    expect(sts[0]!.input).toEqual({ SerialNumber: SERIAL, TokenCode: '123456' });
    expect(sts[0]!.signedWith).toBe(LONG_TERM.accessKeyId);

    const temporary = session.data.credentials;
    expect(temporary.accessKeyId).not.toBe(LONG_TERM.accessKeyId);
    expect(temporary.sessionToken).toBeTruthy();
    expect(session.expiresAt).toBe(temporary.expiration);
    expect(Date.parse(session.expiresAt!)).toBeGreaterThan(Date.now());
    expect(session.data.source.mfaSerial).toBe(SERIAL);
    expect(sts[1]!.signedWith).toBe(temporary.accessKeyId);

    spy.reset();
    const [result] = await readLinks(spy.provider, [spy.provider.parseLink({ arn: secret.arn })], session, { signal: signal() });
    expect(result).toMatchObject({ ok: true, value: secret.value });
    expect(spy.calls.map((c) => c.signedWith)).toEqual([temporary.accessKeyId]);
  });

  it('needs reauth once the MFA session has expired, without calling AWS', async () => {
    const spy = countingProvider();
    const session = (await spy.provider.authenticate(
      { ...LONG_TERM, region: peer!.region, mfaSerial: SERIAL, mfaCode: '654321' },
      quietIo(),
      {},
    )) as AwsSession;
    const past = new Date(Date.now() - 1000).toISOString();
    const expired: AwsSession = {
      ...session,
      expiresAt: past,
      data: { ...session.data, credentials: { ...session.data.credentials, expiration: past } },
    };
    spy.reset();
    const [result] = await readLinks(spy.provider, [spy.provider.parseLink({ arn: secret.arn })], expired, { signal: signal() });
    expect(result).toMatchObject({ ok: false, error: { code: 'REAUTH_REQUIRED', fix: { action: 'reauth', provider: 'aws' } } });
    await expect(spy.provider.refresh!(expired, {})).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    expect(spy.calls).toHaveLength(0);
  });

  it('--profile resolves an assume-role profile through the SDK (its STS call honours AWS_ENDPOINT_URL)', async () => {
    const credentials = join(dir, 'credentials');
    const config = join(dir, 'config');
    writeFileSync(
      credentials,
      `[base]\naws_access_key_id = ${LONG_TERM.accessKeyId}\naws_secret_access_key = ${LONG_TERM.secretAccessKey}\n`,
    );
    writeFileSync(
      config,
      `[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\nregion = ${peer!.region}\n`,
    );
    const spy = countingProvider();
    const session = (await spy.provider.authenticate(
      { profile: 'deploy' },
      quietIo({ ...process.env, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config }),
      {},
    )) as AwsSession;
    expect(session.data.source).toMatchObject({ kind: 'profile', profile: 'deploy', credentialsFile: credentials, configFile: config });
    expect(session.data.credentials.sessionToken).toBeTruthy();
    expect(session.principal).toContain('assumed-role/deployer');
    expect(session.expiresAt).not.toBeNull();
    const [result] = await readLinks(spy.provider, [spy.provider.parseLink({ arn: secret.arn })], session, { signal: signal() });
    expect(result).toMatchObject({ ok: true, value: secret.value });
  });

  it('--from-env takes credentials from the standard environment variables', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAVAULTLINKENV0001';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    try {
      const spy = countingProvider();
      const session = (await spy.provider.authenticate({ fromEnv: true, region: peer!.region }, quietIo(), {})) as AwsSession;
      expect(session.data.source).toEqual({ kind: 'env' });
      expect(spy.calls.map((c) => c.signedWith)).toEqual(['AKIAVAULTLINKENV0001']);
      const [result] = await readLinks(spy.provider, [spy.provider.parseLink({ arn: secret.arn })], session, { signal: signal() });
      expect(result).toMatchObject({ ok: true, value: secret.value });
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.key === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.key;
    }
  });
});
