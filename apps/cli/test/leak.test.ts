/**
 * THE LEAK TEST. A scripted session with the in-memory provider (seeded through
 * VAULTLINK_MEMORY_PROVIDER_FILE), a local secret and a third-party provider's token; then every
 * file in VAULTLINK_HOME, every file created in the OS temp dir during the session, and every
 * captured stdout/stderr is searched for every value (plain, base64 and hex). The only output
 * allowed to hold values is the stdout of `get` and `resolve`, whose job is to print them.
 * The seed file is excluded: it plays the external vault.
 */
import { readdir, readFile, lstat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, uniqueValue, type RunResult, type Sandbox } from './helpers/sandbox.js';

const VALUE_COMMANDS = new Set(['get', 'resolve']);

async function filesUnder(dir: string, since: number, found: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOTDIR') return found; // not ours to read
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Installed code (e.g. a checkout under /tmp) is not data this session wrote; walking it only costs time.
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') await filesUnder(path, since, found);
    } else if (entry.isFile()) {
      const info = await lstat(path).catch(() => undefined); // removed meanwhile by another process
      if (info && (info.mtimeMs >= since || info.ctimeMs >= since) && info.size < 64 * 1024 * 1024) found.push(path);
    }
  }
  return found;
}

function forms(value: string): string[] {
  return [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('hex')];
}

function commandOf(run: RunResult): string | undefined {
  return run.args.find((arg) => !arg.startsWith('-'));
}

describe('leak test: no value outside get/resolve stdout', () => {
  let sandbox: Sandbox;
  let server: Server;
  const received: string[] = [];
  const started = Date.now() - 1000;
  const values = {
    local: uniqueValue('leak-local'),
    argv: uniqueValue('leak-argv'),
    apiKey: uniqueValue('leak-api-key'),
    webhook: uniqueValue('leak-webhook'),
    oldKey: uniqueValue('leak-old-key'),
    token: uniqueValue('leak-search-token'),
    fixtureToken: uniqueValue('leak-fixture-token'),
    fixtureSuffix: uniqueValue('leak-fixture-suffix'),
    refusedName: uniqueValue('leak-refused-name-value'),
    notUtf8: uniqueValue('leak-not-utf8'),
  };
  let secrets: string[];

  beforeAll(async () => {
    sandbox = await createSandbox({
      documents: {
        'leak/payments': {
          versions: [
            { api_key: values.oldKey, webhook: values.webhook },
            { api_key: values.apiKey, webhook: values.webhook },
          ],
        },
        'leak/search': { versions: [values.token] },
        'leak/denied': { versions: [uniqueValue('leak-denied')], deniedPrincipals: ['demo-user'] },
      },
    });
    secrets = [...Object.values(values), sandbox.passphrase];
    // `vaultlink run` against a loopback server: values are sent there (that is the point), never printed or reported.
    server = createServer((request, response) => {
      received.push(JSON.stringify(request.headers));
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ headers: request.headers }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const runCollection = join(sandbox.cwd, 'leak-run.json');
    await writeFile(
      runCollection,
      JSON.stringify({
        info: { name: 'leak run', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [
          {
            name: 'send and print',
            request: {
              method: 'GET',
              url: `${origin}/run`,
              header: [
                { key: 'X-Search', value: '{{vault:search}}' },
                { key: 'X-Pay', value: '{{vault:pay}}' },
              ],
            },
            event: [
              {
                listen: 'test',
                script: {
                  exec: [
                    'const search = await pm.vault.get("search");',
                    'console.log("hex", search.split("").map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(""));',
                    'console.log("echo", pm.response.text());',
                    'await pm.vault.set("copy", search);',
                  ],
                },
              },
            ],
          },
        ],
      }),
    );
    const runReports = [
      '--reporter-json-export',
      join(sandbox.cwd, 'run-report.json'),
      '--reporter-junit-export',
      join(sandbox.cwd, 'run-report.xml'),
    ];
    const fixtureEnv = { FIXTURE_VALUE_SUFFIX: values.fixtureSuffix };
    const template = join(sandbox.cwd, 'template.txt');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(
        template,
        'Authorization: Bearer {{vault:pay}}\nX-Search: {{vault:search}}\nX-Local: {{vault:local}}\nDoc: {{vault:doc}}\n',
      ),
    );
    const binary = Buffer.concat([Buffer.from([0xff, 0x00, 0xfe]), Buffer.from('{{vault:local}}'), Buffer.from([0x80])]);
    const manyMissing = Array.from({ length: 500 }, (_, i) => `{{vault:gone_${i}}}`).join(' ') + ' {{vault:pay}}';
    const script: Array<[string[], { input?: string | Buffer; env?: Record<string, string | undefined> }?]> = [
      [['set', 'local', '--stdin', '--domain', 'api.example.com'], { input: values.local }],
      [['set', 'argv', values.argv]],
      [['link', 'pay', '--provider', 'memory', '--path', 'leak/payments', '--key', 'api_key', '--domain', '*.example.com']],
      [['link', 'old', '--provider', 'memory', '--path', 'leak/payments', '--key', 'api_key', '--version', '1']],
      [['link', 'doc', '--provider', 'memory', '--path', 'leak/payments']],
      [['link', 'search', '--provider', 'memory', '--path', 'leak/search']],
      [['link', 'denied', '--provider', 'memory', '--path', 'leak/denied']],
      [['resolve', template]], // before connect: unresolved
      [['connect', 'memory']],
      [['list']],
      [['list', '--json']],
      [['show', 'pay']],
      [['show', 'pay', '--json']],
      [['show', 'doc']],
      [['show', 'local', '--json']],
      [['integrations', '--json']],
      [['get', 'pay']],
      [['get', 'old', '--json']],
      [['get', 'local']],
      [['get', 'denied']],
      [['resolve', template]],
      [['resolve', template, '--json']],
      [['resolve', '-', '--url', 'https://evil.example.net'], { input: '{{vault:local}} {{vault:pay}} {{vault:search}}' }],
      [['resolve', '-'], { input: '{{vault:pay}} {{vault:missing}} {{vault:denied}}' }],
      [['resolve', '-', '--json'], { input: '{{vault:pay}} {{vault:missing}}' }],
      [['resolve', '-'], { input: 'broken {{vault:pay' }],
      [['config', 'set', 'expiry', '5']],
      [['cache', 'reset', 'pay']],
      [['disable', 'search']],
      [['resolve', '-'], { input: '{{vault:search}} {{vault:pay}}' }],
      [['enable', 'search']],
      [['run', runCollection, '--allow-script-vault', '--verbose', '-r', 'cli,json,junit', ...runReports]],
      [['run', runCollection, '-r', 'json', '--reporter-json-export', join(sandbox.home, 'vault.enc')]],
      [['run', join(sandbox.cwd, 'missing-collection.json')]],
      [['rename', 'local', 'local2']],
      [['domains', 'local2', 'api.example.com', 'http://localhost']],
      [['link', 'bad', '--provider', 'memory', '--path', 'no such', '--version', 'x']],
      [['setup', 'fixture', '--org', 'leakco']],
      [['connect', 'fixture', '--token-stdin'], { input: values.fixtureToken }],
      [['link', 'fx', '--provider', 'fixture', '--item', 'one'], { env: fixtureEnv }],
      [['get', 'fx'], { env: fixtureEnv }],
      [['show', 'fx'], { env: { ...fixtureEnv, FIXTURE_FAULT: 'unavailable' } }],
      [['get', 'fx'], { env: { ...fixtureEnv, FIXTURE_FAULT: 'unavailable' } }],
      [['resolve', '-'], { input: '{{vault:fx}} {{vault:pay}}', env: { ...fixtureEnv, FIXTURE_FAULT: 'unavailable' } }],
      [['reauth', 'memory']],
      [['logout', 'memory']],
      [['get', 'pay']],
      [['resolve', '-'], { input: '{{vault:pay}}' }],
      [['reauth', 'memory']],
      [['disconnect', 'memory']],
      [['resolve', template]],
      [['show', 'pay', '--json']],
      [['rm', 'argv']],
      [['list', '--json']],
      // Hardening cases (issue 12): bytes, JSON on stdin, long error lists, refused input, refused homes.
      [['init']],
      [['resolve', '-'], { input: binary }],
      [['resolve', '-'], { input: '{"k": "{{vault:local}}", "p": "{{vault:pay}}"}' }],
      [['resolve', '-'], { input: manyMissing }],
      [['resolve', '-', '--json'], { input: manyMissing }],
      [['resolve', '-'], { input: '{{vault:pay}} {{vault:m1 \n'.repeat(200) }],
      [['set', 'a{{b', values.refusedName]],
      [['--json', 'set', 'a{{b', '--stdin'], { input: values.refusedName }],
      [['set', 'bin', '--stdin'], { input: Buffer.concat([Buffer.from(values.notUtf8), Buffer.from([0xff])]) }],
      [['list'], { env: { VAULTLINK_KEYCHAIN: 'bogus' } }],
      [['get', 'pay'], { env: { VAULTLINK_HOME: join(sandbox.root, 'no-such-home', 'vault.enc') } }],
    ];
    for (const [args, options] of script) await sandbox.run(args, options ?? {});
  }, 120_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await sandbox.cleanup();
  });

  it('the session really resolved the values (the grep below is meaningful)', () => {
    const stdoutOf = (cmd: string, name: string) =>
      sandbox.transcript
        .filter((r) => commandOf(r) === cmd && r.args.includes(name) && r.code === 0)
        .map((r) => r.stdout)
        .join('');
    expect(stdoutOf('get', 'pay')).toContain(values.apiKey);
    expect(stdoutOf('get', 'old')).toContain(values.oldKey);
    expect(stdoutOf('get', 'fx')).toContain(values.fixtureSuffix);
    const resolved = sandbox.transcript
      .filter((r) => commandOf(r) === 'resolve' && r.code === 0)
      .map((r) => r.stdout)
      .join('');
    for (const value of [values.apiKey, values.token, values.local, values.webhook]) expect(resolved).toContain(value);
    // The run sent the value to the server, so its outputs had it to leak; the export into VAULTLINK_HOME was refused.
    expect(received.join('\n')).toContain(values.token);
    const runs = sandbox.transcript.filter((r) => commandOf(r) === 'run');
    expect(runs.map((r) => r.code)).toEqual([0, 1, 1]);
    expect(runs[1]!.stderr).toMatch(/error \[INVALID_INPUT\] vaultlink will not write/);
    expect(runs[0]!.stderr).toMatch(/pm\.vault\.set\("copy"\) was refused/);
    // Failures were exercised too.
    expect(sandbox.transcript.map((r) => r.code)).toEqual(expect.arrayContaining([2, 3, 4, 5]));
  });

  it('no captured output holds a value, except the stdout of get and resolve', () => {
    const hits: string[] = [];
    for (const run of sandbox.transcript) {
      const streams: Array<[string, string]> = [['stderr', run.stderr]];
      if (!VALUE_COMMANDS.has(commandOf(run) ?? '')) streams.push(['stdout', run.stdout]);
      for (const [stream, text] of streams) {
        for (const secret of secrets)
          for (const form of forms(secret)) if (text.includes(form)) hits.push(`${run.args.join(' ')} ${stream}`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('no file in VAULTLINK_HOME holds a value', async () => {
    const files = await filesUnder(sandbox.home, 0);
    expect(files.length).toBeGreaterThan(0);
    const hits: string[] = [];
    for (const file of files) {
      const content = (await readFile(file)).toString('latin1');
      for (const secret of secrets) for (const form of forms(secret)) if (content.includes(form)) hits.push(file);
    }
    expect(hits).toEqual([]);
  });

  it('no file created in the OS temp dir during the session holds a value (the seed file plays the external vault)', async () => {
    const files = (await filesUnder(tmpdir(), started)).filter((file) => file !== sandbox.seedFile);
    expect(files).toContain(join(sandbox.home, 'vault.enc')); // the walk does see the session's files
    const hits: string[] = [];
    for (const file of files) {
      let content: string;
      try {
        content = (await readFile(file)).toString('latin1');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') continue; // another process's file, gone or private
        throw error;
      }
      for (const secret of secrets) for (const form of forms(secret)) if (content.includes(form)) hits.push(file);
    }
    expect(hits).toEqual([]);
  });
});
