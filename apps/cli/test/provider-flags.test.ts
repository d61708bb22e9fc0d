/** FlagSpec → commander options, and argv pre-scanning, in-process. */
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { AnyProvider, FlagSpec } from '@vault/core';
import {
  collectProviderFields,
  fieldName,
  flagsFor,
  prescanProvider,
  registerProviderFlags,
  withCanonicalProvider,
} from '../src/provider-flags.js';
import type { CliStreams } from '../src/streams.js';

function streams(input = '', env: Record<string, string> = {}): CliStreams {
  const stdin = new PassThrough();
  stdin.end(input);
  return { stdin, stdout: new PassThrough(), stderr: new PassThrough(), env };
}

function providerWith(flags: AnyProvider['flags']): AnyProvider {
  return { id: 'p', flags } as AnyProvider;
}

const specs: FlagSpec[] = [
  { name: 'role-arn', description: 'role', type: 'string' },
  { name: 'tag', description: 'tags', type: 'list' },
  { name: 'mfa', description: 'switch', type: 'boolean', env: 'P_MFA' },
  { name: 'secret-key', description: 'key', type: 'string', secret: true, env: 'P_SECRET' },
  { name: 'method', description: 'how', type: 'string', choices: ['a', 'b'] },
];

async function parse(args: string[], io = streams()) {
  const command = new Command('t').exitOverride();
  registerProviderFlags(command, specs, 'p');
  command.parse(args, { from: 'user' });
  return collectProviderFields(specs, command.opts(), io);
}

describe('provider flags', () => {
  it('camelCases kebab names like commander does', () => {
    expect(fieldName('role-arn')).toBe('roleArn');
    expect(fieldName('a-b-c2')).toBe('aBC2');
  });

  it('maps strings, repeated lists and switches to ProviderFields', async () => {
    const { fields } = await parse(['--role-arn', 'arn:x', '--tag', 'a', '--tag', 'b', '--mfa', '--method', 'b']);
    expect(fields).toEqual({ roleArn: 'arn:x', tag: ['a', 'b'], mfa: true, method: 'b' });
  });

  it('reads a secret flag from stdin with --<name>-stdin, dropping one trailing newline', async () => {
    const { fields, secretsOnArgv } = await parse(['--secret-key-stdin'], streams('s3cr3t\n'));
    expect(fields).toEqual({ secretKey: 's3cr3t' });
    expect(secretsOnArgv).toEqual([]);
  });

  it('reports a secret flag typed on argv so the CLI can warn', async () => {
    const { secretsOnArgv } = await parse(['--secret-key', 'x']);
    expect(secretsOnArgv).toEqual(['--secret-key']);
  });

  it('falls back to the env variable; argv wins over env', async () => {
    const io = streams('', { P_SECRET: 'from-env', P_MFA: 'no' });
    expect((await parse([], io)).fields).toEqual({ secretKey: 'from-env', mfa: false });
    expect((await parse(['--secret-key', 'argv'], streams('', { P_SECRET: 'env' }))).fields.secretKey).toBe('argv');
  });

  it('reports every bad value at once: choices, both argv and stdin, non-boolean env', async () => {
    const io = streams('x', { P_MFA: 'perhaps' });
    const error = await parse(['--method', 'c', '--secret-key', 'a', '--secret-key-stdin'], io).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    const fields = (error as { issues: Array<{ field: string }> }).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['--method', '--secret-key', 'P_MFA']);
  });

  it('refuses provider flags that clash with the CLI own flags', () => {
    expect(() => flagsFor(providerWith({ link: [{ name: 'domain', description: '', type: 'string' }], connect: [] }), 'link')).toThrow(
      /clashes/,
    );
    expect(() =>
      flagsFor(
        providerWith({
          link: [],
          connect: [
            { name: 'key', description: '', type: 'string', secret: true },
            { name: 'key-stdin', description: '', type: 'boolean' },
          ],
        }),
        'connect',
      ),
    ).toThrow(/clashes/);
  });

  it('disconnect offers the setup flags and the connect flags, once each', () => {
    const provider = providerWith({
      link: [],
      connect: [
        { name: 'token', description: 'token', type: 'string' },
        { name: 'org', description: 'org', type: 'string' },
      ],
      setup: [
        { name: 'org', description: 'setup org', type: 'string' },
        { name: 'admin-token', description: 'admin token', type: 'string', secret: true },
      ],
    });
    expect(flagsFor(provider, 'disconnect').map((f) => f.name)).toEqual(['org', 'admin-token', 'token']);
  });
});

describe('prescanProvider', () => {
  it.each([
    [['link', 'n', '--provider', 'aws', '--arn', 'x'], { command: 'link', providerId: 'aws' }],
    [['--json', 'link', 'n', '--provider=azure'], { command: 'link', providerId: 'azure' }],
    [['link', '-p', 'memory', 'n'], { command: 'link', providerId: 'memory' }],
    [['connect', 'hashicorp', '--method', 'oidc'], { command: 'connect', providerId: 'hashicorp' }],
    [['--no-color', 'setup', '--no-browser', 'hashicorp'], { command: 'setup', providerId: 'hashicorp' }],
    [['reauth', 'aws'], { command: 'reauth', providerId: 'aws' }],
    [['disconnect', 'memory'], { command: 'disconnect', providerId: 'memory' }],
    [['link', 'n'], { command: 'link' }],
    [['list'], { command: 'list' }],
    [[], {}],
  ])('%j → %j', (argv, expected) => {
    expect(prescanProvider(argv)).toEqual(expected);
  });
});

describe('several --<name>-stdin flags in one command', () => {
  const two: FlagSpec[] = [
    { name: 'secret-access-key', description: 'key', type: 'string', secret: true },
    { name: 'session-token', description: 'token', type: 'string', secret: true },
  ];
  async function parseTwo(args: string[], input: string) {
    const command = new Command('t').exitOverride();
    registerProviderFlags(command, two, 'p');
    command.parse(args, { from: 'user' });
    return collectProviderFields(two, command.opts(), streams(input), args);
  }

  it('takes one line each, in the order the flags are given', async () => {
    expect((await parseTwo(['--secret-access-key-stdin', '--session-token-stdin'], 'key-1\ntoken-2\n')).fields).toEqual({
      secretAccessKey: 'key-1',
      sessionToken: 'token-2',
    });
    expect((await parseTwo(['--session-token-stdin', '--secret-access-key-stdin'], 'token-2\r\nkey-1')).fields).toEqual({
      secretAccessKey: 'key-1',
      sessionToken: 'token-2',
    });
  });

  it('refuses another number of lines, or an empty line, naming the flags and never the values', async () => {
    const short = await parseTwo(['--secret-access-key-stdin', '--session-token-stdin'], 'only-line-77\n').catch((e: unknown) => e);
    expect(short).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ field: '--secret-access-key-stdin, --session-token-stdin', problem: 'stdin has 1 line(s) for 2 flags' }],
    });
    expect(JSON.stringify(short) + String((short as Error).message)).not.toContain('only-line-77');
    const blank = await parseTwo(['--secret-access-key-stdin', '--session-token-stdin'], '\nsecond-88\n').catch((e: unknown) => e);
    expect(blank).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ field: '--secret-access-key-stdin', problem: 'line 1 of stdin is empty' }],
    });
    expect(String((blank as Error).message)).not.toContain('second-88');
  });
});

describe('provider aliases on the command line', () => {
  it.each([
    [
      ['connect', 'vault', '--method', 'token'],
      ['connect', 'hashicorp', '--method', 'token'],
    ],
    [
      ['--json', 'logout', 'openbao'],
      ['--json', 'logout', 'hashicorp'],
    ],
    [
      ['link', 'n', '--provider', 'vault'],
      ['link', 'n', '--provider', 'hashicorp'],
    ],
    [
      ['link', 'n', '--provider=openbao'],
      ['link', 'n', '--provider=hashicorp'],
    ],
    [
      ['get', 'vault'],
      ['get', 'vault'],
    ],
    [
      ['connect', 'aws'],
      ['connect', 'aws'],
    ],
  ])('%j → %j', (argv, expected) => {
    expect(withCanonicalProvider(argv, (id) => ({ vault: 'hashicorp', openbao: 'hashicorp' })[id] ?? id)).toEqual(expected);
  });
});
