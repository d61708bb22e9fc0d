/**
 * New-user friction in the built CLI (issue 11.5): `set` on a linked secret, provider aliases and
 * unknown provider ids, `list` link details, `setup hashicorp --print-commands` with a team file,
 * and the help text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ok } from './helpers/leaks.js';
import { CLI_BIN, jsonError, uniqueValue, useSandbox } from './helpers/sandbox.js';

const linked = uniqueValue('linked-value');
const local = uniqueValue('local-value');
const sandbox = useSandbox({ documents: { 'team/api': { versions: [{ token: linked }] } } });

describe('set on a linked secret', () => {
  it('refuses without --unlink: exit 2, the link and its value stay', async () => {
    ok(await sandbox.run(['connect', 'memory']));
    ok(await sandbox.run(['link', 'api', '--provider', 'memory', '--path', 'team/api', '--key', 'token']));
    const refused = await sandbox.run(['--json', 'set', 'api', '--stdin'], { input: local });
    expect(refused.code).toBe(2);
    expect(jsonError(refused)).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ field: 'NAME' })],
      fix: expect.stringContaining('--unlink'),
    });
    expect(refused.stderr).not.toContain(local);
    const [entry] = JSON.parse(ok(await sandbox.run(['--json', 'list'])).stdout);
    expect(entry).toMatchObject({ name: 'api', kind: 'linked', provider: 'memory' });
    expect(ok(await sandbox.run(['get', 'api'])).stdout).toBe(linked);
  });

  it('--unlink replaces the link with the local value and says so', async () => {
    const replaced = ok(await sandbox.run(['set', 'api', '--stdin', '--unlink'], { input: local }));
    expect(replaced.stderr).toContain('its link to memory was dropped');
    expect(JSON.parse(ok(await sandbox.run(['--json', 'list'])).stdout)[0]).toMatchObject({ name: 'api', kind: 'local' });
    expect(ok(await sandbox.run(['get', 'api'])).stdout).toBe(local);
    ok(await sandbox.run(['rm', 'api']));
    ok(await sandbox.run(['disconnect', 'memory']));
  });
});

describe('provider ids', () => {
  it('vault and openbao are aliases of hashicorp, in connect and in link', async () => {
    for (const alias of ['vault', 'openbao']) {
      const help = ok(await sandbox.run(['connect', alias, '--help']));
      expect(help.stdout).toContain('hashicorp options:');
      expect(help.stdout).toContain('--method <METHOD>');
    }
    ok(await sandbox.run(['link', 'kv', '--provider', 'openbao', '--engine', 'secret', '--path', 'team/app', '--key', 'k']));
    ok(await sandbox.run(['link', 'kv2', '--provider=vault', '--engine', 'secret', '--path', 'team/app', '--key', 'k2']));
    const list = JSON.parse(ok(await sandbox.run(['--json', 'list'])).stdout) as Array<{ name: string; provider: string }>;
    expect(list.filter((s) => s.name.startsWith('kv')).map((s) => s.provider)).toEqual(['hashicorp', 'hashicorp']);
    ok(await sandbox.run(['rm', 'kv']));
    ok(await sandbox.run(['rm', 'kv2']));
  });

  it('an unknown id lists the known providers and how third-party ones are named, and suggests installing nothing', async () => {
    const result = await sandbox.run(['connect', 'nosuchvault']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PROVIDER_NOT_INSTALLED');
    expect(result.stderr).toContain('memory, aws, azure, hashicorp (also: vault, openbao)');
    expect(result.stderr).toContain('vaultlink-provider-<id>');
    expect(result.stderr).not.toMatch(/npm i(nstall)? |pnpm add |yarn add /);
  });
});

describe('list shows what tells links apart', () => {
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
  const role = 'arn:aws:iam::123456789012:role/reader';

  it('--json-key and --role-arn show in the text table and in --json', async () => {
    ok(await sandbox.run(['link', 'db-user', '--provider', 'aws', '--arn', arn, '--json-key', 'username']));
    ok(await sandbox.run(['link', 'db-pass', '--provider', 'aws', '--arn', arn, '--json-key', 'password']));
    ok(await sandbox.run(['link', 'db-role', '--provider', 'aws', '--arn', arn, '--json-key', 'password', '--role-arn', role]));
    const text = ok(await sandbox.run(['list', '--filter', 'db-'])).stdout;
    const rows = text.split('\n').filter((line) => line.startsWith('db-'));
    expect(rows).toHaveLength(3);
    const rest = rows.map((row) => row.replace(/^\S+\s+/, '')); // everything but the name
    expect(new Set(rest).size).toBe(3);
    expect(text).toMatch(/^db-user .*jsonKey=username/m);
    expect(text).toMatch(/^db-role .*role=arn:aws:iam::123456789012:role\/reader/m);
    const json = JSON.parse(ok(await sandbox.run(['--json', 'list', '--filter', 'db-'])).stdout) as Array<{
      name: string;
      extra: Record<string, string>;
    }>;
    expect(json.map((s) => [s.name, s.extra.jsonKey, s.extra.role])).toEqual([
      ['db-pass', 'password', undefined],
      ['db-role', 'password', role],
      ['db-user', 'username', undefined],
    ]);
  });
});

describe('invalid AWS ARNs name where to copy the right one', () => {
  it('the relink fix prints as the link command with the flags to fix and where each ARN is found', async () => {
    const result = await sandbox.run(['link', 'db', '--provider', 'aws', '--arn', 'prod/db', '--role-arn', 'reader']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('INVALID_LINK');
    const fix = result.stderr.split('\n').find((line) => line.startsWith('Fix: '));
    expect(fix).toBe(
      'Fix: vaultlink link NAME --provider aws --arn ARN --role-arn ROLE_ARN (copy the full secret ARN from the Secrets Manager console (Secret details) or from ' +
        '`aws secretsmanager describe-secret --secret-id NAME --query ARN`; copy the role ARN from the IAM console (Roles) or from `aws iam get-role --role-name NAME --query Role.Arn`)',
    );
    const json = await sandbox.run(['--json', 'link', 'db', '--provider', 'aws', '--arn', 'prod/db']);
    expect(jsonError(json)).toMatchObject({
      code: 'INVALID_LINK',
      fixAction: { action: 'relink', provider: 'aws', flags: { arn: 'ARN' } },
    });
  });
});

describe('setup hashicorp --print-commands', () => {
  const team = {
    version: 1,
    integrations: {
      hashicorp: {
        oidcProviderUrl: 'http://127.0.0.1:8200/v1/identity/oidc/provider/vaultlink',
        jwtPath: 'vaultlink-jwt',
        clientId: 'abc',
        role: 'vaultlink',
        redirectUri: 'http://localhost:8250/oidc/callback',
      },
    },
  };

  it('works when team.json exists, writes nothing, and exits 0 as the provider README says', async () => {
    const file = sandbox.env.VAULTLINK_TEAM_CONFIG!;
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(team));
    const before = await readFile(file, 'utf8');
    const result = await sandbox.run(['setup', 'hashicorp', '--print-commands', '--vault-addr', 'http://127.0.0.1:8200'], {
      env: { VAULT_TOKEN: undefined },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('vault write sys/auth/vaultlink-jwt type=jwt');
    expect(result.stderr).toContain('Nothing was written');
    expect(await readFile(file, 'utf8')).toBe(before);
    const readme = readFileSync(resolve(dirname(CLI_BIN), '../../../packages/provider-hashicorp/README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain('prints the script and exits 0');

    const again = await sandbox.run(
      ['--json', 'setup', 'hashicorp', '--vault-addr', 'http://127.0.0.1:8200', '--bootstrap', '--admin-token-stdin'],
      { input: 'not-a-real-token' },
    );
    expect(jsonError(again).code).toBe('ALREADY_CONNECTED');
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('help text', () => {
  it('says "repeatable" once per option', async () => {
    for (const args of [
      ['setup', 'hashicorp', '--help'],
      ['link', 'x', '--provider', 'fixture', '--help'],
      ['set', '--help'],
    ]) {
      const help = ok(await sandbox.run(args)).stdout.replace(/\s+/g, ' ');
      expect(help, args.join(' ')).not.toMatch(/\(repeatable[^)]*\)\s*\(repeatable\)/);
    }
    expect(ok(await sandbox.run(['setup', 'hashicorp', '--help'])).stdout.replace(/\s+/g, ' ')).toMatch(
      /--read-path <PATH> Path the read policy grants \(repeatable;/,
    );
    expect(ok(await sandbox.run(['link', 'x', '--provider', 'fixture', '--help'])).stdout).toMatch(/--tag <TAG>\s+A tag \(repeatable\)/);
  });

  it('the footer points at the README of the installed package, not at a repository path', async () => {
    const help = ok(await sandbox.run(['--help'])).stdout;
    expect(help).not.toContain('See apps/cli/README.md');
    const readme = /Every command, flag and environment variable: (\S+)/.exec(help)?.[1];
    expect(readme).toBe(resolve(dirname(CLI_BIN), '..', 'README.md'));
    expect(existsSync(readme!)).toBe(true);
    expect(help).toContain('vaultlink COMMAND --help');
  });
});

describe('the Node policy', () => {
  it('the README supports Node 20 and recommends 22 or 24', () => {
    const readme = readFileSync(join(dirname(CLI_BIN), '../../../README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toMatch(/Node\.js 20\+/);
    expect(readme).toMatch(/22 or 24/);
  });
});
