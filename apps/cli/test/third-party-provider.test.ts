/**
 * A provider the CLI has never heard of (`vaultlink-provider-fixture`, installed in the working
 * directory): its FlagSpec lists become real flags with help, choices, lists, switches,
 * environment fallbacks, `--<name>-stdin` for secret flags, and admin-managed setup.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from './helpers/sandbox.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

describe('a third-party provider through FlagSpec', () => {
  let sandbox: Sandbox;
  const token = uniqueValue('fixture-token');
  let setup: Awaited<ReturnType<Sandbox['run']>>;
  beforeAll(async () => {
    sandbox = await createSandbox();
    // Admin-managed: members sign in against the team settings `setup` writes.
    setup = await sandbox.run(['setup', 'fixture', '--org', 'acme']);
  });
  afterAll(() => sandbox.cleanup());

  it('help shows each flag with its placeholder, choices, env variable and the -stdin companion of secret flags', async () => {
    const link = await sandbox.run(['link', 'x', '--provider', 'fixture', '--help']);
    expect(link.code).toBe(0);
    expect(link.stdout).toContain('--item <ITEM>');
    expect(link.stdout).toContain('one of: plain, upper');
    expect(link.stdout).toContain('env: FIXTURE_REGION');
    expect(link.stdout).toContain('--strict');
    const connect = await sandbox.run(['connect', 'fixture', '--help']);
    expect(connect.stdout).toContain('--token <TOKEN>');
    expect(connect.stdout).toContain('--token-stdin');
    expect(connect.stdout).toContain('--no-browser');
  });

  it('link passes string, list, boolean and env-fallback fields to the provider and prints its warnings on stderr', async () => {
    const result = await sandbox.run(
      ['link', 'thing', '--provider', 'fixture', '--item', 'alpha', '--mode', 'upper', '--tag', 'a', '--tag', 'b'],
      {
        env: { FIXTURE_REGION: 'eu-1' },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: fixture links are not strict');
    const info = JSON.parse((await sandbox.run(['show', 'thing', '--json', '--no-upstream'])).stdout) as { extra: Record<string, string> };
    expect(info.extra).toEqual({ mode: 'upper', tags: 'a,b', strict: 'false', region: 'eu-1' });
    const strict = await sandbox.run(['link', 'thing', '--provider', 'fixture', '--item', 'alpha', '--strict', '--region', 'us-2']);
    expect(strict.stderr).not.toContain('warning');
    const after = JSON.parse((await sandbox.run(['show', 'thing', '--json', '--no-upstream'])).stdout) as { extra: Record<string, string> };
    expect(after.extra).toMatchObject({ strict: 'true', region: 'us-2', mode: 'plain' });
  });

  it("a value outside a flag's choices fails with exit 2 naming the allowed values", async () => {
    const result = await sandbox.run(['--json', 'link', 'thing2', '--provider', 'fixture', '--item', 'b', '--mode', 'shout']);
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues).toEqual([expect.objectContaining({ field: '--mode', expected: 'one of plain, upper' })]);
  });

  it('connect without the secret and without a terminal fails with exit 2 naming where to give it', async () => {
    const result = await sandbox.run(['--json', 'connect', 'fixture']);
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fix).toContain('--token-stdin or FIXTURE_TOKEN');
    expect(error.fix).toContain('vaultlink connect fixture --help');
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    const result = await sandbox.run(['connect', 'fixture', '--tokn', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--tokn');
  });

  it('connect reads a secret flag from stdin with --token-stdin and never prints it', async () => {
    const result = await sandbox.run(['connect', 'fixture', '--token-stdin', '--user', 'ada'], { input: `${token}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`ada (token ${sha(token)})`);
    expect(result.stderr).toContain('(acme)'); // the organization comes from the team settings
    expect(result.stdout + result.stderr).not.toContain(token);
    const get = await sandbox.run(['get', 'thing']);
    expect(get.stdout).toBe('fixture-alpha-value');
  });

  it('a secret flag given on argv works but warns about shell history; the env fallback needs no warning', async () => {
    const argv = await sandbox.run(['reauth', 'fixture', '--token', token, '--user', 'bob']);
    expect(argv.code, argv.stderr).toBe(0);
    expect(argv.stderr).toContain('--token given on the command line lands in your shell history');
    expect(argv.stderr).toContain(`bob (token ${sha(token)})`);
    expect(argv.stderr).not.toContain(token);
    const other = uniqueValue('env-token');
    const env = await sandbox.run(['reauth', 'fixture'], { env: { FIXTURE_TOKEN: other } });
    expect(env.code, env.stderr).toBe(0);
    expect(env.stderr).not.toContain('shell history');
    expect(env.stderr).toContain(`token ${sha(other)}`);
    expect(env.stderr).not.toContain(other);
  });

  it('a provider auth failure is exit 3', async () => {
    const result = await sandbox.run(['--json', 'reauth', 'fixture', '--token-stdin'], { input: 'wrong' });
    expect(result.code).toBe(3);
    expect(jsonError(result).code).toBe('AUTH_FAILED');
  });

  it('a provider outage is PROVIDER_UNAVAILABLE (exit 5) for get, and show still prints the local facts', async () => {
    expect((await sandbox.run(['reauth', 'fixture', '--token-stdin'], { input: token })).code).toBe(0);
    const get = await sandbox.run(['--json', 'get', 'thing'], { env: { FIXTURE_FAULT: 'unavailable' } });
    expect(get.code).toBe(5);
    expect(jsonError(get).code).toBe('PROVIDER_UNAVAILABLE');
    const show = await sandbox.run(['show', 'thing', '--json'], { env: { FIXTURE_FAULT: 'unavailable' } });
    expect(show.code).toBe(5);
    expect(JSON.parse(show.stdout)).toMatchObject({ name: 'thing', upstreamError: { code: 'PROVIDER_UNAVAILABLE' } });
  });

  it('setup wrote the team config; disconnect of an admin-managed provider needs the admin flag (ADMIN_REQUIRED, exit 3)', async () => {
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('acme');
    const team = JSON.parse(readFileSync(sandbox.env.VAULTLINK_TEAM_CONFIG!, 'utf8')) as { integrations: Record<string, unknown> };
    expect(team.integrations).toEqual({ fixture: { org: 'acme' } });
    const denied = await sandbox.run(['--json', 'disconnect', 'fixture']);
    expect(denied.code).toBe(3);
    expect(jsonError(denied).code).toBe('ADMIN_REQUIRED');
    const allowed = await sandbox.run(['disconnect', 'fixture', '--admin-token-stdin'], { input: 'let-me-in' });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect((await sandbox.run(['integrations', '--json'])).stdout.trim()).toBe('[]');
    // The admin's disconnect removed the team settings: members cannot sign in until setup runs again.
    const member = await sandbox.run(['--json', 'connect', 'fixture', '--token-stdin'], { input: token });
    expect(member.code).toBe(3);
    expect(jsonError(member)).toMatchObject({ code: 'NOT_CONNECTED', fix: expect.stringContaining('vaultlink setup fixture') });
  });
});
