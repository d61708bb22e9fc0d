/**
 * JSON Pointers into SecretString JSON against moto (auth enforced): nested values, several
 * pointers into one secret for one GetSecretValue, pointers combined with --json-key, and a
 * missing path that names the deepest existing parent and its keys, never a value.
 */
import { readLinks, type Session } from '@vault/core/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allow, countingProvider, motoSeeder, quietIo, READ_COMMANDS, requirePeer, signal, uniqueName, useEndpoint } from './helpers.js';

const peer = requirePeer('moto-auth');

describe.skipIf(!peer)('--json-pointer on moto', () => {
  const seeder = motoSeeder(peer!);
  const secret = {
    db: { primary: { password: `ptr-primary-${uniqueName('v')}`, port: 5432 }, replica: { password: `ptr-replica-${uniqueName('v')}` } },
    'api/keys': [`ptr-key0-${uniqueName('v')}`],
  };
  const values = [secret.db.primary.password, secret.db.replica.password, secret['api/keys'][0]!];
  let arn = '';
  let session: Session;
  let restore: () => void = () => undefined;
  const counting = countingProvider();
  const { provider } = counting;

  beforeAll(async () => {
    restore = useEndpoint(peer!.endpoint);
    const prefix = uniqueName('ptr');
    arn = (await seeder.createSecret(`${prefix}/config`, JSON.stringify(secret))).arn;
    const reader = await seeder.createUserWithPolicy(`${prefix}-reader`, [
      allow(['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue']),
    ]);
    session = await provider.authenticate({ ...reader, region: peer!.region }, quietIo(), {});
  });
  afterAll(() => {
    restore();
    seeder.destroy();
  });

  const reads = () => counting.secretsManagerCalls().filter((c) => READ_COMMANDS.has(c.command)).length;

  it('selects nested values; three pointers into one secret cost one GetSecretValue', async () => {
    const links = [
      provider.parseLink({ arn, jsonPointer: '/db/primary/password' }),
      provider.parseLink({ arn, jsonPointer: '/db/replica/password' }),
      provider.parseLink({ arn, jsonPointer: '/api~1keys/0' }),
      provider.parseLink({ arn, jsonKey: 'db', jsonPointer: '/primary/port' }),
    ];
    counting.reset();
    const results = await readLinks(provider, links, session, { signal: signal() });
    expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual([...values, '5432']);
    expect(reads()).toBe(1);
    expect(counting.secretsManagerCalls().map((c) => c.command)).toEqual(['GetSecretValueCommand']);
  });

  it('a missing path is KEY_NOT_FOUND with the deepest parent and its keys; the fix names the ARN', async () => {
    const [result] = await readLinks(provider, [provider.parseLink({ arn, jsonPointer: '/db/standby/password' })], session, {
      signal: signal(),
    });
    expect(result!.ok).toBe(false);
    const error = !result!.ok ? result!.error : undefined;
    expect(error?.code).toBe('KEY_NOT_FOUND');
    expect(error?.message).toContain(
      `${arn} has nothing at --json-pointer /db/standby/password: /db has no key "standby". Keys there: primary, replica.`,
    );
    expect(error?.fix).toMatchObject({ action: 'relink', provider: 'aws', flags: { arn, 'json-pointer': '/db/primary' } });
    const text = JSON.stringify(error?.toJSON()) + error?.message;
    for (const value of values) expect(text).not.toContain(value);
  });

  it('a bad pointer is refused at link time, naming the field and the form', () => {
    expect(() => provider.parseLink({ arn, jsonPointer: 'db.primary' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_LINK',
        issues: [expect.objectContaining({ field: 'json-pointer', problem: expect.stringContaining('did you mean /db/primary?') })],
      }),
    );
  });
});
