/**
 * `vaultlink exec` with values from the real peers: a child reads a linked OpenBao value (and
 * one selected with --json-pointer) and a moto SecretString from its environment; what it
 * prints of them is masked; one read serves two variables from one document.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { allow, motoSeeder } from '../../../../tools/peers/seed/moto.mjs';
import { awsEnv } from '../helpers/aws-env.js';
import { expectNoLeaks, ok } from '../helpers/leaks.js';
import { createSandbox, uniqueValue, type Sandbox } from '../helpers/sandbox.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const bao = requirePeer('openbao');
const motoAuth = requirePeer('moto-auth');
if (!bao || !motoAuth) throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the OpenBao and moto-auth peers');

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
/** A child that prints the sha256 of two variables, then the variables themselves (to be masked). */
const CHILD = [
  process.execPath,
  '-e',
  'const h = (s) => require("crypto").createHash("sha256").update(s).digest("hex"); console.log(h(process.env.A) + " " + h(process.env.B)); console.log("A=" + process.env.A + " B=" + process.env.B);',
];

const sandboxes: Sandbox[] = [];
afterAll(async () => {
  for (const s of sandboxes) await s.cleanup();
});

describe('exec with OpenBao', () => {
  const seed = openBaoSeeder(bao);
  const path = `exec-${uniqueValue('p')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 10)}/app`;
  const values = { token: uniqueValue('bao-exec-token'), password: uniqueValue('bao-exec-pw') };
  let me: Sandbox;

  beforeAll(async () => {
    await seed.kvPut('secret', path, { token: values.token, db: { password: values.password } });
    await seed.writePolicy(`exec-read-${path.split('/')[0]}`, `path "secret/data/${path}" { capabilities = ["read"] }`);
    me = await createSandbox();
    sandboxes.push(me);
    const { token } = await seed.createToken({ policies: [`exec-read-${path.split('/')[0]}`], ttl: '20m' });
    ok(await me.run(['connect', 'hashicorp', '--method', 'token', '--token-stdin', '--vault-addr', bao.addr], { input: token }));
    ok(await me.run(['link', 'api', '--provider', 'hashicorp', '--engine', 'secret', '--path', path, '--key', 'token']));
    ok(
      await me.run([
        'link',
        'db',
        '--provider',
        'hashicorp',
        '--engine',
        'secret',
        '--path',
        path,
        '--key',
        'db',
        '--json-pointer',
        '/password',
      ]),
    );
  });

  it('a child reads linked values from its environment; its output is masked; one read of the document', async () => {
    const reads = () => countAuditRequests(bao.auditLog!, { path: `secret/data/${path}`, operation: 'read' });
    const before = reads();
    const result = ok(await me.run(['exec', '--env', 'A=api', '--env', 'B=db', '--', ...CHILD]));
    expect(reads() - before).toBe(1);
    expect(result.stdout).toBe(`${sha(values.token)} ${sha(values.password)}\nA=******** B=********\n`);
    await expectNoLeaks(me, Object.values(values));
  });

  it('with the agent running, exec resolves through it like every command: a value another command fetched costs no read', async () => {
    const on = { VAULTLINK_AGENT: 'on' };
    ok(await me.run(['agent', 'start'], { env: on }));
    try {
      const reads = () => countAuditRequests(bao.auditLog!, { path: `secret/data/${path}`, operation: 'read' });
      const before = reads();
      ok(await me.run(['resolve', '-'], { input: '{{vault:api}}{{vault:db}}', env: on }));
      expect(reads() - before).toBe(1);
      const result = ok(await me.run(['exec', '--env', 'A=api', '--env', 'B=db', '--', ...CHILD], { env: on }));
      expect(result.stdout).toBe(`${sha(values.token)} ${sha(values.password)}\nA=******** B=********\n`);
      expect(reads() - before).toBe(1);
    } finally {
      await me.run(['agent', 'stop']);
    }
  });
});

describe('exec with AWS Secrets Manager (moto, credentials from the environment)', () => {
  const seeder = motoSeeder(motoAuth);
  const values = { user: uniqueValue('aws-exec-user'), password: uniqueValue('aws-exec-pw') };
  let me: Sandbox;

  beforeAll(async () => {
    const name = uniqueValue('exec').replace(/[^A-Za-z0-9-]/g, '');
    const { arn } = await seeder.createSecret(`${name}/db`, JSON.stringify({ db: { user: values.user, password: values.password } }));
    const reader = await seeder.createUserWithPolicy(`${name}-reader`, [
      allow(['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue']),
    ]);
    me = await createSandbox();
    sandboxes.push(me);
    Object.assign(
      me.env,
      Object.fromEntries(
        Object.entries(
          awsEnv(motoAuth.endpoint, {
            AWS_ACCESS_KEY_ID: reader.accessKeyId,
            AWS_SECRET_ACCESS_KEY: reader.secretAccessKey,
            AWS_REGION: motoAuth.region,
          }),
        ).filter(([, v]) => v !== undefined),
      ),
    );
    ok(await me.run(['connect', 'aws', '--from-env']));
    ok(await me.run(['link', 'user', '--provider', 'aws', '--arn', arn, '--json-pointer', '/db/user']));
    ok(await me.run(['link', 'password', '--provider', 'aws', '--arn', arn, '--json-pointer', '/db/password']));
  });
  afterAll(() => seeder.destroy());

  it("an --env-file of references fills the child's environment; output masked", async () => {
    const file = `${me.root}/.env.vault`;
    await writeFile(file, 'A={{vault:user}}\nB={{vault:password}}\n');
    const result = ok(await me.run(['exec', '--env-file', file, '--', ...CHILD]));
    expect(result.stdout).toBe(`${sha(values.user)} ${sha(values.password)}\nA=******** B=********\n`);
    await expectNoLeaks(me, Object.values(values));
  });
});
