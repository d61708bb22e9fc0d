import { describe, expect, it } from 'vitest';
import { setup, testIO } from './helpers.js';

describe('secrets', () => {
  it('sets local secrets with allowed domains and lists them without values', async () => {
    const { vault } = setup();
    await vault.setLocal('api key', 'local-value-1234', { allowedDomains: ['API.example.com', '*.test.io'] });
    const [info] = await vault.list();
    expect(info).toMatchObject({ name: 'api key', kind: 'local', enabled: true, allowedDomains: ['api.example.com', '*.test.io'] });
    expect(JSON.stringify(await vault.list())).not.toContain('local-value-1234');
    expect(await vault.get('api key')).toBe('local-value-1234');
    const resolution = (await vault.resolveNames(['api key'])).get('api key');
    expect(resolution).toMatchObject({ ok: true, allowedDomains: ['api.example.com', '*.test.io'], source: 'local' });
  });

  it('replacing a secret keeps createdAt, enabled state and domains unless new domains are given', async () => {
    let now = 1_000_000;
    const { vault } = setup({ vault: { now: () => now } });
    await vault.setLocal('a', 'first-value', { allowedDomains: ['x.io'] });
    await vault.setEnabled('a', false);
    now += 5000;
    await vault.setLocal('a', 'second-value');
    const info = await vault.show('a');
    expect(info).toMatchObject({
      enabled: false,
      allowedDomains: ['x.io'],
      createdAt: new Date(1_000_000).toISOString(),
      updatedAt: new Date(1_005_000).toISOString(),
    });
  });

  it('rejects bad names and bad domains with INVALID_INPUT naming the field', async () => {
    const { vault } = setup();
    for (const bad of ['', ' lead', 'a{b}', 'x'.repeat(201), 'tab\there']) {
      await expect(vault.setLocal(bad, 'v')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        issues: [expect.objectContaining({ field: 'name' })],
      });
    }
    await expect(vault.setLocal('ok', 'v', { allowedDomains: ['x.io:443'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await vault.list()).toEqual([]);
  });

  it('links with provider validation: INVALID_LINK lists every bad field', async () => {
    const { vault } = setup();
    const error = await vault.link('l', 'memory', { path: '/bad', version: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_LINK' });
    expect((error as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toEqual(['path', 'version']);
    expect(await vault.list()).toEqual([]);
  });

  it('shows links with identifier and pinned version, and filters the list', async () => {
    const { vault } = setup();
    await vault.link('pay-old', 'memory', { path: 'team/payments', key: 'api_key', version: '1' });
    await vault.link('search', 'memory', { path: 'team/search' });
    await vault.setLocal('local', 'lv-1234');
    expect(await vault.show('pay-old')).toMatchObject({
      kind: 'linked',
      provider: 'memory',
      identifier: 'team/payments#api_key',
      version: '1',
    });
    expect((await vault.list('PAYMENTS')).map((s) => s.name)).toEqual(['pay-old']);
    expect((await vault.list('memory')).map((s) => s.name)).toEqual(['pay-old', 'search']);
    expect((await vault.list()).map((s) => s.name)).toEqual(['local', 'pay-old', 'search']);
  });

  it('resolves a pinned version', async () => {
    const { vault } = setup();
    await vault.connect('memory', {}, testIO());
    await vault.link('pay-old', 'memory', { path: 'team/payments', key: 'api_key', version: '1' });
    expect(await vault.get('pay-old')).toBe('pay-key-old-1111');
  });

  it('renames, refusing to overwrite; removes; NOT_FOUND for unknown names', async () => {
    const { vault } = setup();
    await vault.setLocal('a', 'va-1234');
    await vault.setLocal('b', 'vb-1234');
    await expect(vault.rename('a', 'b')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: 'to' })],
    });
    await vault.rename('a', 'c');
    expect((await vault.list()).map((s) => s.name)).toEqual(['b', 'c']);
    expect(await vault.get('c')).toBe('va-1234');
    await vault.remove('b');
    await expect(vault.remove('b')).rejects.toMatchObject({ code: 'NOT_FOUND', fix: { action: 'list' } });
    await expect(vault.show('zz')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(vault.rename('zz', 'yy')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(vault.setEnabled('zz', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('disable keeps the secret but leaves references unresolved; enable restores it', async () => {
    const { vault } = setup();
    await vault.setLocal('a', 'va-1234');
    await vault.setEnabled('a', false);
    expect((await vault.resolveNames(['a'])).get('a')).toMatchObject({ ok: false, reason: 'disabled' });
    await vault.setEnabled('a', true);
    expect(await vault.get('a')).toBe('va-1234');
  });

  it('sets allowed domains on an existing secret', async () => {
    const { vault } = setup();
    await vault.setLocal('a', 'va-1234');
    await vault.setAllowedDomains('a', ['http://localhost']);
    expect((await vault.show('a')).allowedDomains).toEqual(['http://localhost']);
    await vault.setAllowedDomains('a', []);
    expect((await vault.show('a')).allowedDomains).toEqual([]);
  });

  it('describe returns upstream metadata, never the value', async () => {
    const { vault } = setup();
    await vault.link('pay', 'memory', { path: 'team/payments', key: 'api_key' });
    await expect(vault.describe('pay')).rejects.toMatchObject({ code: 'NOT_CONNECTED', fix: { action: 'connect', provider: 'memory' } });
    await vault.connect('memory', {}, testIO());
    const described = await vault.describe('pay');
    expect(described.upstream).toEqual({ path: 'team/payments', version: '2', latestVersion: '2', keys: ['api_key', 'webhook'] });
    expect(JSON.stringify(described)).not.toContain('pay-key');
  });
});
