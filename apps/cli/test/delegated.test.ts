/** `vaultlink run` / `vaultlink import` are handed to @vault/runner with this CLI's vault and streams. */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';

describe('run and import through @vault/runner', () => {
  let sandbox: Sandbox;
  let server: Server;
  let port: number;
  const received: string[] = [];
  const token = uniqueValue('run-token');

  beforeAll(async () => {
    sandbox = await createSandbox();
    server = createServer((request, response) => {
      received.push(String(request.headers['x-token'] ?? ''));
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    await sandbox.run(['set', 'token', '--stdin', '--domain', 'http://127.0.0.1'], { input: token });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await sandbox.cleanup();
  });

  /** Writes a one-request collection into the sandbox; the request sends `token` (a reference) in X-Token. */
  const writeCollection = async (name: string, path: string, token: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const file = join(sandbox.cwd, `${name}.json`);
    const request = { method: 'GET', url: `http://127.0.0.1:${port}${path}`, header: [{ key: 'X-Token', value: token }] };
    await writeFile(
      file,
      JSON.stringify({
        info: { name, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [{ name: 'call', request, ...extra }],
      }),
    );
    return file;
  };

  it("run --help and import --help show the runner's own options (exit 0)", async () => {
    const run = await sandbox.run(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--environment');
    const imp = await sandbox.run(['import', '--help']);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toContain('postman-environment');
  });

  it("run sends a collection with the vault secret resolved from this CLI's vault, and masks it in the output", async () => {
    const collection = await writeCollection('cli-run', '/x', '{{vault:token}}');
    const result = await sandbox.run(['run', collection, '--color', 'off']);
    expect(result.code, result.stderr).toBe(0);
    expect(received).toEqual([token]);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it("a run that cannot start prints its code and a Fix line like every other command, and keeps newman's exit code 1", async () => {
    const missing = join(sandbox.cwd, 'no-such-collection.json');
    const plain = await sandbox.run(['run', missing]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error \[INVALID_INPUT\] newman could not start the run\./m);
    expect(plain.stderr).toMatch(/^Fix: check the --collection path or URL and run again$/m);
    const json = await sandbox.run(['--json', 'run', missing]);
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stderr.trim()) as { error: { code: string; fix?: string } }).error;
    expect(error).toMatchObject({ code: 'INVALID_INPUT', fix: 'check the --collection path or URL and run again' });
  });

  it("a request refused for an unresolved reference: the CLI says the fix as its command, --json gives it as data too, and the exit stays newman's 1", async () => {
    const collection = await writeCollection('unresolved', '/u', '{{vault:nowhere}}');
    const before = received.length;
    const plain = await sandbox.run(['run', collection, '--fail-on-unresolved', '--color', 'off']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error \[UNRESOLVED\] /m);
    expect(plain.stderr).toMatch(/^Fix: vaultlink list \(fix each reference listed with its own fix, or run with --no-fail-on-unresolved/m);
    const json = await sandbox.run(['--json', 'run', collection, '--fail-on-unresolved']);
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stderr.trim().split('\n').at(-1)!) as { error: { code: string; fix?: string; fixAction?: unknown } })
      .error;
    expect(error).toMatchObject({ code: 'UNRESOLVED', fix: expect.stringMatching(/^vaultlink list \(/), fixAction: { action: 'list' } });
    expect(received.length).toBe(before);
  });

  it("import exits with the CLI's codes: 2 for bad usage or input, 4 when there is no vault", async () => {
    const environment = join(sandbox.cwd, 'env.postman_environment.json');
    await writeFile(
      environment,
      JSON.stringify({ name: 'e', values: [{ key: 'k', value: 'import-value-123', type: 'secret', enabled: true }] }),
    );
    const usage = await sandbox.run(['import', 'postman-environment']);
    expect(usage.code).toBe(2);
    const badInput = await sandbox.run(['import', 'postman-environment', environment, '--keys', 'nope']);
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toMatch(/^error \[INVALID_INPUT\] /m);
    const noVault = await sandbox.run(['import', 'postman-environment', environment], {
      env: { VAULTLINK_HOME: join(sandbox.root, 'no-vault-here') },
    });
    expect(noVault.code, noVault.stderr).toBe(4);
    expect(noVault.stderr).toMatch(/^error \[VAULT_NOT_INITIALIZED\] /m);
    expect(noVault.stderr).toMatch(/^Fix: vaultlink init/m);
  });

  it('NO_COLOR=1 leaves no ANSI escape in `vaultlink run` output on a terminal', async () => {
    const collection = await writeCollection('color', '/c', '{{vault:token}}', {
      event: [{ listen: 'test', script: { exec: ['pm.test("ok", () => pm.expect(1).to.eql(2));'] } }],
    });
    // script(1) gives the CLI a pseudo-terminal, where newman colours by default. Asynchronous: this process serves the request.
    const onTerminal = (env: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_BIN)} run ${JSON.stringify(collection)}`;
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          env: { ...sandbox.env, ...env },
          cwd: sandbox.cwd,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
        child.on('error', reject);
        child.on('close', () => resolve(output));
      });
    const coloured = await onTerminal({});
    expect(coloured).toContain('\x1b['); // the check below can fail
    const plain = await onTerminal({ NO_COLOR: '1' });
    expect(plain).toContain('AssertionError');
    expect(plain).not.toContain('\x1b');
    expect(plain).not.toContain(token);
  });
});
