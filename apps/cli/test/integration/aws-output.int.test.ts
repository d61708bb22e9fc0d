/**
 * What a new user sees from `connect aws` on moto: two secrets piped on stdin in one command (one
 * per line, in flag order: the order itself is unit-tested in provider-flags.test.ts, since moto
 * with auth enforced refuses every session token), a success line that names the account once, and
 * no AWS SDK NodeVersionSupportWarning (the CLI turns it off itself: the test leaves it unset).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { allow, motoSeeder } from '../../../../tools/peers/seed/moto.mjs';
import { awsEnv } from '../helpers/aws-env.js';
import { ok } from '../helpers/leaks.js';
import { createSandbox, jsonError, uniqueValue, type Sandbox } from '../helpers/sandbox.js';

const peer = requirePeer('moto-auth');
const openPeer = requirePeer('moto');
if (!peer || !openPeer) throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the moto and moto-auth peers');

describe('connect aws output', () => {
  const seeder = motoSeeder(peer);
  const run = uniqueValue('out').replace(/[^A-Za-z0-9-]/g, '');
  let user: { arn: string; accessKeyId: string; secretAccessKey: string };
  const sandboxes: Sandbox[] = [];
  const sessionToken = uniqueValue('session-token');

  async function sandbox(): Promise<Sandbox> {
    const made = await createSandbox();
    sandboxes.push(made);
    return made;
  }
  const connect = (s: Sandbox, flags: string[], input: string, endpoint = peer.endpoint) =>
    s.run(['connect', 'aws', '--access-key-id', user.accessKeyId, ...flags, '--region', peer.region], {
      input,
      env: awsEnv(endpoint, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined }),
    });

  beforeAll(async () => {
    user = await seeder.createUserWithPolicy(`${run}-user`, [allow(['secretsmanager:GetSecretValue'])]);
  });
  afterAll(async () => {
    seeder.destroy();
    for (const s of sandboxes) await s.cleanup();
  });

  it('takes --secret-access-key-stdin and --session-token-stdin together, one line each in flag order', async () => {
    const s = await sandbox();
    // The open moto takes any session token.
    const result = ok(
      await connect(
        s,
        ['--secret-access-key-stdin', '--session-token-stdin'],
        `${user.secretAccessKey}\n${sessionToken}\n`,
        openPeer.endpoint,
      ),
    );
    const line = result.stderr.split('\n').find((l) => l.includes('Connected to'))!;
    const account = /account (\d{12})/.exec(line)?.[1];
    expect(account, line).toBeDefined();
    expect(line.split(account!).length - 1, line).toBe(2); // once on its own, once inside the ARN
    expect(line).not.toMatch(/\)\s*\(\d{12}\)/);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    for (const secret of [user.secretAccessKey, sessionToken]) expect(result.stderr + result.stdout).not.toContain(secret);
  });

  it('a line missing for one of the flags is INVALID_INPUT (exit 2) naming the flags, not the value', async () => {
    const s = await sandbox();
    const result = await connect(s, ['--json', '--secret-access-key-stdin', '--session-token-stdin'], `${user.secretAccessKey}\n`);
    expect(result.code).toBe(2);
    expect(jsonError(result).issues).toEqual([expect.objectContaining({ field: '--secret-access-key-stdin, --session-token-stdin' })]);
    expect(result.stderr).not.toContain(user.secretAccessKey);
  });
});
