/**
 * The agent against OpenBao, with upstream reads counted in OpenBao's audit log: separate
 * command processes share one cache (get in A, get and resolve in B and C: one read), cache
 * reset and expiry 0 apply at once, 100 concurrent `vaultlink get` processes make one read,
 * one reauth fixes the session for every client, a renewable token is renewed by the agent
 * before it expires, and disconnect leaves every client unresolved. Nothing leaks.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { runWithBrowser } from '../helpers/browser.js';
import { expectNoLeaks, ok } from '../helpers/leaks.js';
import { CLI_BIN, createSandbox, jsonError, uniqueSuffix, uniqueValue, type RunResult, type Sandbox } from '../helpers/sandbox.js';

const peer = requirePeer('openbao');
if (!peer) throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the OpenBao peer');
const bao = openBaoSeeder(peer);

const suffix = uniqueSuffix('ag');
const secretPath = `agent-${suffix}/app`;
const policy = `agent-read-${suffix}`;
const values = { token: uniqueValue('agent-bao-token') };
const on = { VAULTLINK_AGENT: 'on' };
const off = { VAULTLINK_AGENT: 'off' };

let sandbox: Sandbox;
let oidcMemberToken: string;
const reads = (): number => countAuditRequests(peer.auditLog!, { path: `secret/data/${secretPath}`, operation: 'read' });

function run(args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<RunResult> {
  return sandbox.run(args, {
    ...options,
    env: { VAULT_TOKEN: undefined, VAULT_ADDR: undefined, VAULT_NAMESPACE: undefined, ...options.env },
  });
}

async function memberToken(ttl: string): Promise<string> {
  return (await bao.createToken({ policies: [policy], ttl, renewable: true, displayName: `agent-${suffix}` })).token;
}

async function agentStatus(): Promise<{
  upstreamReads: number;
  providers: Array<{ provider: string; expiresAt: string; renewsAt?: string }>;
}> {
  return JSON.parse(ok(await run(['agent', 'status', '--json'], { env: on })).stdout);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  sandbox = await createSandbox();
  await bao.enableUserpass();
  await bao.createUser(`agent-member-${suffix}`, 'member-password-not-a-value');
  oidcMemberToken = (await bao.login(`agent-member-${suffix}`, 'member-password-not-a-value')).token;
  const redirect = `http://localhost:${await freePort()}/oidc/callback`;
  await bao.kvPut('secret', secretPath, { token: values.token });
  await bao.writePolicy(
    policy,
    `path "secret/data/agent-${suffix}/*" { capabilities = ["read"] }\npath "secret/metadata/agent-${suffix}/*" { capabilities = ["read"] }`,
  );
  ok(
    await run(
      [
        'setup',
        'hashicorp',
        '--bootstrap',
        '--vault-addr',
        peer.addr,
        '--oidc-name',
        `agent-${suffix}`,
        '--jwt-path',
        `agent-jwt-${suffix}`,
        '--policy-name',
        `agent-p-${suffix}`,
        '--redirect-uri',
        redirect,
      ],
      { env: { ...off, VAULT_TOKEN: peer.rootToken } },
    ),
  );
  ok(await run(['agent', 'start'], { env: on }));
  ok(await run(['connect', 'hashicorp', '--method', 'token', '--token-stdin'], { input: await memberToken('30m'), env: on }));
  ok(await run(['link', 'api', '--provider', 'hashicorp', '--engine', 'secret', '--path', secretPath, '--key', 'token'], { env: on }));
});

afterAll(async () => {
  await sandbox?.run(['agent', 'stop']);
  await sandbox?.cleanup();
});

describe('the agent with OpenBao, counted in its audit log', () => {
  it('get in A, then get and resolve in B and C: one upstream read in total; cache reset in D: one more', async () => {
    ok(await run(['cache', 'reset'], { env: on }));
    const before = reads();
    expect(ok(await run(['get', 'api'], { env: on })).stdout).toBe(values.token);
    expect(ok(await run(['get', 'api'], { env: on })).stdout).toBe(values.token);
    expect(ok(await run(['resolve'], { input: 'Bearer {{vault:api}}', env: on })).stdout).toBe(`Bearer ${values.token}`);
    expect(reads() - before).toBe(1);
    ok(await run(['cache', 'reset', 'api'], { env: on }));
    expect(ok(await run(['get', 'api'], { env: on })).stdout).toBe(values.token);
    expect(reads() - before).toBe(2);
  });

  it('with expiry 0 every get reads', async () => {
    ok(await run(['config', 'set', 'expiry', '0'], { env: on }));
    const before = reads();
    for (let i = 0; i < 3; i++) ok(await run(['get', 'api'], { env: on }));
    expect(reads() - before).toBe(3);
    ok(await run(['config', 'set', 'expiry', '60'], { env: on }));
  });

  it('100 concurrent `vaultlink get` processes for one linked secret make exactly one upstream read', async () => {
    ok(await run(['cache', 'reset'], { env: on }));
    const before = reads();
    const env: Record<string, string> = { ...sandbox.env, ...on };
    const results = await Promise.all(
      Array.from(
        { length: 100 },
        () =>
          new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
            const child = spawn(process.execPath, [CLI_BIN, 'get', 'api'], { env, cwd: sandbox.cwd, stdio: ['ignore', 'pipe', 'ignore'] });
            let stdout = '';
            child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
            child.on('error', reject);
            child.on('close', (code) => resolve({ code, stdout }));
          }),
      ),
    );
    expect(results.every((r) => r.code === 0 && r.stdout === values.token)).toBe(true);
    expect(reads() - before).toBe(1);
  }, 120_000);

  it('one reauth fixes the session for every client, with and without the agent', async () => {
    ok(await run(['logout', 'hashicorp'], { env: on }));
    const signedOut = await run(['--json', 'get', 'api'], { env: on });
    expect(signedOut.code).toBe(3);
    expect(jsonError(signedOut).fix).toContain('vaultlink reauth hashicorp');
    ok(await run(['reauth', 'hashicorp', '--method', 'token', '--token-stdin'], { input: await memberToken('30m'), env: on }));
    ok(await run(['cache', 'reset'], { env: on }));
    expect(ok(await run(['get', 'api'], { env: on })).stdout).toBe(values.token);
    expect(ok(await run(['get', 'api'], { env: off })).stdout).toBe(values.token);
  });

  it('a renewable token is renewed by the agent before it expires (renew-self in the audit log)', async () => {
    const renewals = (): number => countAuditRequests(peer.auditLog!, { path: 'auth/token/renew-self' });
    ok(await run(['reauth', 'hashicorp', '--method', 'token', '--token-stdin'], { input: await memberToken('12s'), env: on }));
    const before = renewals();
    const firstExpiry = Date.parse((await agentStatus()).providers.find((p) => p.provider === 'hashicorp')!.expiresAt);
    expect((await agentStatus()).providers.find((p) => p.provider === 'hashicorp')!.renewsAt).toBeDefined();
    // Wait past the first expiry: only a renewal keeps the session alive.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstExpiry - Date.now()) + 3_000));
    expect(renewals() - before).toBeGreaterThanOrEqual(1);
    const later = Date.parse((await agentStatus()).providers.find((p) => p.provider === 'hashicorp')!.expiresAt);
    expect(later).toBeGreaterThan(firstExpiry);
    ok(await run(['cache', 'reset'], { env: on }));
    expect(ok(await run(['get', 'api'], { env: on })).stdout).toBe(values.token);
    ok(await run(['reauth', 'hashicorp', '--method', 'token', '--token-stdin'], { input: await memberToken('30m'), env: on }));
  }, 60_000);

  it('browser sign-in (OIDC) through the agent: the client prints the URL, the agent takes the loopback redirect', async () => {
    const env: Record<string, string> = Object.fromEntries(
      Object.entries({ ...sandbox.env, ...on }).filter(([k]) => !k.startsWith('VAULT_')),
    );
    const result = await runWithBrowser(sandbox, ['reauth', 'hashicorp', '--method', 'oidc', '--no-browser', '--login-timeout', '60'], {
      memberToken: oidcMemberToken,
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.redirectStatus).toBe(200);
    expect(result.stderr).toContain('Renewed the session for HashiCorp Vault');
    ok(await run(['cache', 'reset'], { env: on }));
    expect(ok(await run(['get', 'api'], { env: on })).stdout).toBe(values.token);
  });

  it('disconnect makes references unresolved in every client', async () => {
    ok(await run(['get', 'api'], { env: on }));
    ok(await run(['disconnect', 'hashicorp', '--admin-token-stdin'], { input: peer.rootToken, env: on }));
    for (const env of [on, off]) {
      const result = await run(['--json', 'resolve'], { input: '{{vault:api}}', env });
      expect(result.code).toBe(4);
      expect(jsonError(result).details).toMatchObject({ unresolved: [expect.objectContaining({ name: 'api', reason: 'disconnected' })] });
    }
  });

  it('no value, token or passphrase in the agent log, in VAULTLINK_HOME, or in any output but get/resolve stdout', async () => {
    const secrets = [values.token, peer.rootToken, sandbox.passphrase];
    const log = await readFile(join(sandbox.home, 'agent', 'agent.log'), 'utf8');
    expect(log).toContain('session-renewed provider=hashicorp');
    for (const secret of secrets) expect(log.includes(secret), 'the agent log holds a secret').toBe(false);
    await expectNoLeaks(sandbox, secrets);
  });
});
