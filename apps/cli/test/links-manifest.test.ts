/**
 * `vaultlink links export|sync`, `--json-pointer` in list/show, and VAULTLINK_LINKS, through the
 * built CLI with the memory provider: two members (two homes) share one manifest in a repo.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks, ok } from './helpers/leaks.js';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from './helpers/sandbox.js';

const values = {
  primary: uniqueValue('db-primary'),
  replica: uniqueValue('db-replica'),
  token: uniqueValue('search-token'),
  mine: uniqueValue('my-local'),
};
const documents = {
  'team/app': { versions: [{ db: { primary: { password: values.primary }, replica: { password: values.replica } } }] },
  'team/search': values.token,
};

let alice: Sandbox;
let bob: Sandbox;
let repo: string;
const manifestPath = () => join(repo, '.vaultlink', 'links.json');

beforeAll(async () => {
  alice = await createSandbox({ documents });
  bob = await createSandbox({ documents });
  repo = join(alice.root, 'repo');
  await mkdir(join(repo, 'src'), { recursive: true });
  for (const member of [alice, bob]) ok(await member.run(['connect', 'memory']));
});
afterAll(async () => {
  await alice?.cleanup();
  await bob?.cleanup();
});

describe('--json-pointer through the CLI', () => {
  it('link validates the pointer; list and show print it', async () => {
    const bad = await alice.run([
      '--json',
      'link',
      'primary',
      '--provider',
      'memory',
      '--path',
      'team/app',
      '--json-pointer',
      'db.primary.password',
    ]);
    expect(bad.code).toBe(2);
    expect(jsonError(bad)).toMatchObject({
      code: 'INVALID_LINK',
      issues: [expect.objectContaining({ field: 'json-pointer', problem: expect.stringContaining('did you mean /db/primary/password?') })],
    });
    ok(
      await alice.run([
        'link',
        'primary',
        '--provider',
        'memory',
        '--path',
        'team/app',
        '--json-pointer',
        '/db/primary/password',
        '--domain',
        'db.example.com',
      ]),
    );
    ok(await alice.run(['link', 'replica', '--provider', 'memory', '--path', 'team/app', '--json-pointer', '/db/replica/password']));
    ok(await alice.run(['link', 'search', '--provider', 'memory', '--path', 'team/search']));
    ok(await alice.run(['set', 'mine', '--stdin'], { input: values.mine }));
    expect(ok(await alice.run(['list'])).stdout).toMatch(
      /primary\s+memory\s+team\/app\s+db\.example\.com\s+enabled\s+jsonPointer=\/db\/primary\/password/,
    );
    expect(ok(await alice.run(['show', 'replica'])).stdout).toMatch(/jsonPointer:\s+\/db\/replica\/password/);
    expect(ok(await alice.run(['resolve', '-'], { input: '{{vault:primary}} {{vault:replica}}' })).stdout).toBe(
      `${values.primary} ${values.replica}`,
    );
    const missing = await alice.run(['link', 'nope', '--provider', 'memory', '--path', 'team/app', '--json-pointer', '/db/standby']);
    ok(missing);
    const unresolved = await alice.run(['get', 'nope']);
    expect(unresolved.code).toBe(4);
    expect(unresolved.stderr).toContain('/db has no key "standby". Keys there: primary, replica.');
    expect(unresolved.stderr).toContain('vaultlink link NAME --provider memory --path team/app --json-pointer /db/primary');
    ok(await alice.run(['rm', 'nope']));
  });
});

describe('links export and sync between two members', () => {
  it('export writes every link with its flags and domains, skips local values, and holds no value', async () => {
    const result = ok(await alice.run(['links', 'export'], { cwd: repo }));
    expect(result.stderr).toContain('3 added, 0 changed, 0 unchanged');
    expect(result.stderr).toContain('Left out "mine": local value');
    const text = await readFile(manifestPath(), 'utf8');
    expect(JSON.parse(text)).toEqual({
      $schema: './links.schema.json',
      version: 1,
      links: {
        primary: {
          provider: 'memory',
          link: { path: 'team/app', 'json-pointer': '/db/primary/password' },
          allowedDomains: ['db.example.com'],
        },
        replica: { provider: 'memory', link: { path: 'team/app', 'json-pointer': '/db/replica/password' }, allowedDomains: [] },
        search: { provider: 'memory', link: { path: 'team/search' }, allowedDomains: [] },
      },
    });
    const schema = await readFile(join(repo, '.vaultlink', 'links.schema.json'), 'utf8');
    for (const value of Object.values(values)) {
      expect(text).not.toContain(value);
      expect(schema).not.toContain(value);
    }
    expect(text).not.toMatch(/session|token"|principal|passphrase/i);
    const named = await alice.run(['--json', 'links', 'export', 'mine'], { cwd: repo });
    expect(named.code).toBe(2);
    expect(jsonError(named)).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: 'mine', problem: expect.stringContaining('local secret') })],
    });
  });

  it('sync --dry-run shows the diff and changes nothing; sync applies it; a local value is kept without --force', async () => {
    ok(await bob.run(['set', 'search', '--stdin'], { input: values.mine }));
    ok(await bob.run(['link', 'replica', '--provider', 'memory', '--path', 'team/app', '--json-pointer', '/db/primary/password']));
    // From a subdirectory: the manifest is found in a parent, like git.
    const dry = ok(await bob.run(['links', 'sync', '--dry-run'], { cwd: join(repo, 'src') }));
    expect(dry.stdout).toMatch(/^\+\s+primary\s+memory\s+--path team\/app --json-pointer \/db\/primary\/password\s+new link$/m);
    expect(dry.stdout).toMatch(/^~\s+replica\s+memory\s+.*json-pointer: \/db\/primary\/password → \/db\/replica\/password$/m);
    expect(dry.stdout).toMatch(/^!\s+search\s+memory\s+.*value: local value → link to memory$/m);
    expect(dry.stderr).toContain('1 added, 1 changed, 0 unchanged, 1 kept');
    expect(dry.stderr).toContain('Nothing was changed');
    expect(JSON.parse(ok(await bob.run(['list', '--json'])).stdout).map((s: { name: string }) => s.name)).toEqual(['replica', 'search']);

    const applied = ok(await bob.run(['links', 'sync'], { cwd: repo }));
    expect(applied.stderr).toContain('Synced');
    expect(applied.stderr).toContain('"search" was left alone: it holds a local value; --force replaces it');
    expect(ok(await bob.run(['resolve', '-'], { input: '{{vault:primary}}|{{vault:replica}}|{{vault:search}}' })).stdout).toBe(
      `${values.primary}|${values.replica}|${values.mine}`,
    );
    expect(JSON.parse(ok(await bob.run(['show', 'primary', '--json'])).stdout).allowedDomains).toEqual(['db.example.com']);

    const again = JSON.parse(ok(await bob.run(['--json', 'links', 'sync'], { cwd: repo })).stdout);
    expect(again.items.map((i: { name: string; status: string }) => `${i.name}:${i.status}`)).toEqual([
      'primary:unchanged',
      'replica:unchanged',
      'search:kept',
    ]);
    ok(await bob.run(['links', 'sync', '--force', 'search'], { cwd: repo }));
    expect(ok(await bob.run(['get', 'search'])).stdout).toBe(values.token);
    await expectNoLeaks(bob, [values.primary, values.replica, values.token]);
  });

  it('an invalid manifest names each bad entry and field, and nothing is changed', async () => {
    const bad = join(alice.root, 'bad-links.json');
    await writeFile(
      bad,
      JSON.stringify({
        version: 1,
        links: {
          x: { provider: 'memory', link: { path: 'a b', 'json-pointer': 'q' } },
          y: { provider: 'memory' },
          z: { provider: 'memory', link: { path: 'ok' }, allowedDomains: ['https://h:1'] },
        },
      }),
    );
    const structural = await bob.run(['--json', 'links', 'sync', '--file', bad]);
    expect(structural.code).toBe(2);
    expect(jsonError(structural).issues!.map((i) => i.field)).toEqual(['links.y.link']);
    await writeFile(
      bad,
      JSON.stringify({
        version: 1,
        links: {
          x: { provider: 'memory', link: { path: 'a b', 'json-pointer': 'q' } },
          w: { provider: 'memory', link: { path: 'team/search', extra: 'no' } },
        },
      }),
    );
    const before = ok(await bob.run(['list', '--json'])).stdout;
    const semantic = await bob.run(['--json', 'links', 'sync', '--file', bad]);
    expect(semantic.code).toBe(2);
    expect(jsonError(semantic)).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('Nothing was changed') });
    expect(jsonError(semantic).issues!.map((i) => i.field)).toEqual([
      'links.w.link.extra',
      'links.x.link.path',
      'links.x.link.json-pointer',
    ]);
    expect(ok(await bob.run(['list', '--json'])).stdout).toBe(before);
  });
});

describe('VAULTLINK_LINKS: resolving straight from the manifest', () => {
  it('an empty vault resolves every manifest name; without the variable nothing is picked up', async () => {
    const carol = await createSandbox({ documents });
    try {
      ok(await carol.run(['connect', 'memory']));
      const without = await carol.run(['resolve', '-'], { input: '{{vault:primary}}', cwd: repo });
      expect(without.code).toBe(4);
      const resolved = ok(
        await carol.run(['resolve', '-'], { input: '{{vault:primary}} {{vault:search}}', env: { VAULTLINK_LINKS: manifestPath() } }),
      );
      expect(resolved.stdout).toBe(`${values.primary} ${values.token}`);
      expect(JSON.parse(ok(await carol.run(['list', '--json'])).stdout)).toEqual([]);
      // The manifest belongs to the command: with the agent wanted, such a command still runs in-process.
      const viaAgentMode = ok(
        await carol.run(['resolve', '-'], { input: '{{vault:replica}}', env: { VAULTLINK_LINKS: manifestPath(), VAULTLINK_AGENT: 'on' } }),
      );
      expect(viaAgentMode.stdout).toBe(values.replica);
    } finally {
      await carol.run(['agent', 'stop']);
      await carol.cleanup();
    }
  });
});
