/** What a provider author gets from `@vault/core/provider`: defineProvider, field readers, validateProvider, importOptional, errors as data. */
import { describe, expect, it } from 'vitest';
import { VaultError, defineProvider, importOptional, readFields, validateProvider, type FlagSpec } from '../src/provider.js';
import { createMemoryProvider } from '../src/testing.js';

const flags = [
  { name: 'arn', description: 'ARN', type: 'string' },
  { name: 'json-key', description: 'JSON key', type: 'string' },
  { name: 'mode', description: 'Mode', type: 'string', choices: ['plain', 'upper'] },
  { name: 'tag', description: 'Tags', type: 'list' },
  { name: 'strict', description: 'Strict', type: 'boolean' },
] as const satisfies readonly FlagSpec[];

const base = {
  id: 'acme',
  displayName: 'Acme Vault',
  flags: { link: flags },
  summarize: () => ({ identifier: 'x' }),
  authenticate: async () => ({ provider: 'acme', organization: 'o', principal: 'p', expiresAt: null, createdAt: '', data: null }),
  readDocument: async () => 'doc',
  select: () => ({ value: 'v' }),
  describe: async () => ({}),
};

describe('readFields', () => {
  it('reads trimmed text, choices, lists and switches by flag name', () => {
    const read = readFields(flags, { arn: '  arn:x ', jsonKey: 'password', mode: 'upper', tag: [' a ', '', 'b'], strict: true });
    expect([read.text('arn'), read.text('json-key'), read.text('mode'), read.list('tag'), read.flag('strict')]).toEqual([
      'arn:x',
      'password',
      'upper',
      ['a', 'b'],
      true,
    ]);
    expect(read.ok).toBe(true);
  });

  it('collects every problem, named by the flag: missing, empty, not allowed, repeated, unknown', () => {
    const read = readFields(flags, { jsonKey: '  ', mode: 'shout', arn: ['a', 'b'], region: 'x' }, { what: 'acme links' });
    read.required('strict' as never, 'unused');
    read.text('json-key');
    read.text('mode');
    read.text('arn');
    expect(read.issues.items.map((i) => [i.field, i.problem])).toEqual([
      ['region', 'is not a field of acme links'],
      ['strict', 'is missing'],
      ['json-key', 'is empty'],
      ['mode', '"shout" is not allowed'],
      ['arn', 'is given more than once'],
    ]);
  });
});

describe('defineProvider', () => {
  it('fills the contract version and defaults, and validates what it builds', () => {
    const provider = defineProvider({ ...base, parseLink: (f) => ({ arn: f.required('arn', 'an ARN') }) });
    expect(provider.contractVersion).toBe(2);
    expect(provider.capabilities).toEqual({ versions: false, adminManagedSetup: false, concurrency: 16 });
    expect(provider.flags.connect).toEqual([]);
    expect(provider.documentKey({ arn: 'a' })).toBe('{"arn":"a"}');
    expect(validateProvider(provider)).toEqual([]);
  });

  it('fails readDocument, readBatch and describe with an aborted signal with ABORTED, without calling the provider', async () => {
    let calls = 0;
    const counted = async () => {
      calls++;
      return [];
    };
    const provider = defineProvider({
      ...base,
      capabilities: { maxBatchSize: 10 },
      parseLink: (f) => ({ arn: f.required('arn', 'an ARN') }),
      readDocument: counted,
      readBatch: counted,
      describe: async () => ({ calls: ++calls }),
    });
    const session = await provider.authenticate({}, undefined as never, {});
    const aborted = { signal: AbortSignal.abort(), timeoutMs: 1000 };
    for (const attempt of [
      () => provider.readDocument({ arn: 'a' }, session, aborted),
      () => provider.readBatch!([{ arn: 'a' }], session, aborted),
      () => provider.describe({ arn: 'a' }, session, aborted),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'ABORTED', provider: 'acme' });
    }
    expect(calls).toBe(0);
    const live = { signal: new AbortController().signal, timeoutMs: 1000 };
    await provider.readDocument({ arn: 'a' }, session, live);
    await provider.readBatch!([{ arn: 'a' }], session, live);
    expect(await provider.describe({ arn: 'a' }, session, live)).toEqual({ calls: 3 });
  });

  it('turns every field problem into one INVALID_LINK, even when the parser trips over a missing field', () => {
    const provider = defineProvider({
      ...base,
      parseLink: (f) => ({ arn: f.required('arn', 'an ARN')!.toUpperCase(), key: f.text('json-key') }),
    });
    const error = (() => {
      try {
        provider.parseLink({ mode: 'shout', other: 'x' });
      } catch (e) {
        return e as VaultError;
      }
      throw new Error('expected INVALID_LINK');
    })();
    expect(error.code).toBe('INVALID_LINK');
    expect(error.issues.map((i) => i.field).sort()).toEqual(['arn', 'other']);
    expect(error.message).toContain('Invalid Acme Vault link.');
    expect(provider.parseLink({ arn: 'a', jsonKey: 'k' })).toEqual({ arn: 'A', key: 'k' });
  });

  it('refuses a broken definition with PROVIDER_INVALID listing each rule it breaks', () => {
    const attempt = () =>
      defineProvider({
        ...base,
        id: 'Bad Id',
        flags: {
          link: [
            { name: 'domain', description: 'clashes', type: 'string' },
            { name: 'Role_Arn', description: '', type: 'string' },
          ],
        },
        capabilities: { adminManagedSetup: true, concurrency: 0 },
        parseLink: () => ({}),
      });
    expect(attempt).toThrow(expect.objectContaining({ code: 'PROVIDER_INVALID' }));
    const fields = (() => {
      try {
        attempt();
      } catch (e) {
        return (e as VaultError).issues.map((i) => i.field);
      }
      return [];
    })();
    expect(fields).toEqual(
      expect.arrayContaining([
        'id',
        'capabilities.concurrency',
        'flags.link.domain',
        'flags.link.Role_Arn',
        'setup',
        'teardown',
        'flags.setup',
      ]),
    );
  });
});

describe('validateProvider', () => {
  it('accepts the memory provider and lists every problem of a v1 provider', () => {
    expect(validateProvider(createMemoryProvider())).toEqual([]);
    const v1 = {
      contractVersion: 1,
      id: 'old',
      displayName: 'Old',
      capabilities: { versions: false, batch: true, adminManagedSetup: false },
      flags: { link: [], connect: [] },
      fetch: async () => [],
    };
    expect(validateProvider(v1).map((i) => i.field)).toEqual(
      expect.arrayContaining([
        'contractVersion',
        'capabilities.concurrency',
        'flags.link',
        'parseLink',
        'readDocument',
        'select',
        'describe',
      ]),
    );
    expect(validateProvider(null)).toEqual([expect.objectContaining({ field: 'provider' })]);
  });

  it('refuses a secret flag whose -stdin twin clashes, and maxBatchSize without readBatch', () => {
    const provider = { ...createMemoryProvider({ batch: false }) } as Record<string, unknown>;
    provider['flags'] = {
      link: [
        { name: 'key', description: 'k', type: 'string', secret: true },
        { name: 'key-stdin', description: 'x', type: 'boolean' },
      ],
      connect: [],
    };
    provider['capabilities'] = { versions: true, adminManagedSetup: false, concurrency: 4, maxBatchSize: 5 };
    expect(validateProvider(provider).map((i) => i.field)).toEqual(['capabilities.maxBatchSize', 'flags.link.key-stdin']);
  });
});

describe('importOptional', () => {
  it('imports on first use only, once, and uses an injected module instead when given', async () => {
    let imports = 0;
    const load = importOptional('fake-sdk', async () => ({ n: ++imports }));
    expect(imports).toBe(0);
    expect(await load()).toEqual({ n: 1 });
    expect(await load()).toEqual({ n: 1 });
    expect(load.packageName).toBe('fake-sdk');
    const injected = importOptional('fake-sdk', async () => ({ n: 99 }), { n: -1 });
    expect(await injected()).toEqual({ n: -1 });
  });

  it('reports a missing package with an install fix, and tries again next time', async () => {
    let attempts = 0;
    const load = importOptional('@acme/missing-sdk', () => {
      attempts++;
      return Promise.reject(Object.assign(new Error('Cannot find package'), { code: 'ERR_MODULE_NOT_FOUND' }));
    });
    await expect(load()).rejects.toMatchObject({
      code: 'PROVIDER_INVALID',
      fix: { action: 'install', package: '@acme/missing-sdk', reinstall: false },
    });
    await expect(load()).rejects.toMatchObject({ code: 'PROVIDER_INVALID' });
    expect(attempts).toBe(2);
  });
});

describe('VaultError as data', () => {
  it('round-trips exactly through JSON, fix and issues included', () => {
    const error = new VaultError('INVALID_LINK', 'Invalid link.', {
      issues: [{ field: 'arn', problem: 'is missing', expected: 'an ARN' }],
      fix: { action: 'relink', provider: 'aws', name: 'db', flags: { arn: 'ARN', 'json-key': 'KEY', binary: true } },
      provider: 'aws',
      retryAfterSeconds: 3,
      details: { status: 400, nested: { a: [1, 2] } },
      cause: new Error('sdk request with headers'),
    });
    const wire = JSON.parse(JSON.stringify(error)) as unknown;
    const back = VaultError.fromJSON(wire);
    expect(back.toJSON()).toEqual(error.toJSON());
    expect(back.message).toBe(error.message);
    expect(back).toBeInstanceOf(VaultError);
    expect(JSON.stringify(wire)).not.toContain('sdk request');
  });

  it('keeps a string fix as free text, and puts no fix text into the message', () => {
    const error = new VaultError('ACCESS_DENIED', 'Denied.', { fix: 'az role assignment create --role "Key Vault Secrets User"' });
    expect(error.fix).toEqual({ action: 'manual', text: 'az role assignment create --role "Key Vault Secrets User"' });
    expect(error.message).toBe('Denied.');
  });

  it('refuses JSON that is not a VaultError, saying what is wrong', () => {
    const error = VaultError.fromJSON({ code: 'NOPE', message: 1, fix: { action: 'explode' } });
    expect(error.code).toBe('INTERNAL');
    expect(error.issues.map((i) => i.field)).toEqual(['code', 'message', 'fix']);
  });
});
