/**
 * examples/provider-aws-ssm as a third party has it: the workspace packages packed once (tools/packed);
 * a copy of the example outside the workspace installs @vault/core and the testkit from those tarballs
 * with npm (its own package.json and lockfile) and runs its own `npm test` against moto with auth
 * enforced; then the packed CLI (with the workspace packages it depends on) plus the packed example,
 * installed with npm in a fresh folder, link and read a parameter from moto with commands a user types.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_GROUPS } from '@vault/provider-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../peers/require-peer.mjs';
import { allow, motoSeeder } from '../../../peers/seed/moto.mjs';
import { installPacked, packedTarballs, type PackedInstall } from '../../../packed/packed-install.mjs';
import { copyExample, must, npmInstall, outsiderEnv, run, type Ran } from './outsider.js';
import { peerRangeProblems, readExampleManifest, vendorTarballs, workspaceVersions } from '../example-manifest.js';

const peer = requirePeer('moto-auth');
const SETUP_MS = 600_000;

interface VitestReport {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string }> }>;
}

describe.skipIf(!peer)('examples/provider-aws-ssm from packed tarballs', () => {
  let root: string;
  let example: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vl-examples-'));
    example = await copyExample('provider-aws-ssm', join(root, 'provider-aws-ssm'));
    const manifest = await readExampleManifest(example);
    // A peer range the packed versions do not satisfy would end in npm ERESOLVE below: say what to update instead.
    const problems = peerRangeProblems('examples/provider-aws-ssm', manifest, workspaceVersions());
    if (problems.length) throw new Error(problems.join('\n'));
    // Where the example's README says to put them, named by the versions packed now; `npm install` of the files
    // re-reads them (their lockfile integrity changes with every build), and installs the rest from the
    // example's package-lock.json.
    const vendored = await vendorTarballs(example, manifest, await packedTarballs());
    await npmInstall(example, ['-D', ...vendored]);
  }, SETUP_MS);
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  describe('its own tests', () => {
    let report: VitestReport;
    let output: Ran;
    beforeAll(async () => {
      const env = outsiderEnv({
        PEER_MOTO_AUTH_ENDPOINT: peer!.endpoint,
        PEER_MOTO_ADMIN_ACCESS_KEY_ID: peer!.adminAccessKeyId,
        PEER_MOTO_ADMIN_SECRET_ACCESS_KEY: peer!.adminSecretAccessKey,
        PEER_MOTO_REGION: peer!.region,
      });
      output = await run('npm', ['test', '--', '--reporter=json', '--outputFile=vitest-report.json'], { cwd: example, env });
      report = JSON.parse(await readFile(join(example, 'vitest-report.json'), 'utf8')) as VitestReport;
    }, SETUP_MS);

    it('installed @vault/core and the testkit as npm packages (no links), with the example\'s lockfile', async () => {
      const lock = JSON.parse(await readFile(join(example, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; link?: boolean }> };
      expect(lock.packages['node_modules/@vault/core']).toMatchObject({ resolved: expect.stringMatching(/^file:vendor\/vault-core-.*\.tgz$/) });
      expect(lock.packages['node_modules/@vault/provider-testkit']).toMatchObject({ resolved: expect.stringMatching(/^file:vendor\/vault-provider-testkit-.*\.tgz$/) });
      expect(Object.values(lock.packages).filter((entry) => entry.link)).toEqual([]);
      expect(await readdir(join(example, 'node_modules/@vault/core/dist'))).toContain('provider.js');
    });

    it('`npm test` passes every test, nothing skipped', () => {
      expect(output.code, `${output.stdout.slice(-3000)}\n${output.stderr.slice(-3000)}`).toBe(0);
      expect(report).toMatchObject({ success: true, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 });
      expect(report.numPassedTests).toBe(report.numTotalTests);
      expect(report.testResults.map((file) => file.name.split('/').pop()).sort()).toEqual(['conformance.test.ts', 'connect.test.ts', 'reads.test.ts']);
    });

    it('ran the whole conformance kit: every group of @vault/provider-testkit', () => {
      const names = report.testResults.flatMap((file) => file.assertionResults.map((test) => test.fullName));
      for (const [, title] of CONFORMANCE_GROUPS) {
        expect(names.filter((name) => name.includes(`vaultlink provider conformance ${title} `)), title).not.toEqual([]);
      }
    });
  });

  describe('with the vaultlink CLI installed from its tarball', () => {
    const seed = peer ? motoSeeder(peer) : undefined;
    let user: PackedInstall | undefined;
    let env: NodeJS.ProcessEnv;
    let values: { old: string; latest: string; oldVersion: number };
    const transcript: Array<{ args: string[] } & Ran> = [];
    const vaultlink = async (...args: string[]) => {
      const { code, stdout, stderr } = await user!.exec('vaultlink', args, { env });
      const result = { code: code ?? -1, stdout, stderr };
      transcript.push({ args, ...result });
      return result;
    };

    beforeAll(async () => {
      // dist/ is what `npm test` just built; packing it again would build the same files.
      await mkdir(join(root, 'tarballs'));
      const packed = await must('npm', ['pack', '--ignore-scripts', '--pack-destination', join(root, 'tarballs')], { cwd: example });
      const exampleTarball = join(root, 'tarballs', packed.stdout.trim().split('\n').pop()!);
      // The CLI with every workspace package it depends on (core, runner, agent), and the example.
      user = await installPacked(['vaultlink'], { extra: [exampleTarball] });

      const stamp = Date.now().toString(36);
      values = { old: `ssm-old-${stamp}`, latest: `ssm-latest-${stamp}`, oldVersion: 0 };
      values.oldVersion = (await seed!.putParameter('/team/api-key', values.old)).version;
      await seed!.putParameter('/team/api-key', values.latest);
      const reader = await seed!.createUserWithPolicy(`cli-reader-${stamp}`, [allow(['ssm:GetParameter', 'ssm:GetParameters'])]);
      const aws = join(root, 'aws');
      await mkdir(aws);
      await writeFile(join(aws, 'credentials'), `[reader]\naws_access_key_id = ${reader.accessKeyId}\naws_secret_access_key = ${reader.secretAccessKey}\n`);
      await writeFile(join(aws, 'config'), '');
      env = outsiderEnv({
        VAULTLINK_HOME: join(root, 'home'),
        VAULTLINK_PASSPHRASE: `passphrase-${stamp}`,
        VAULTLINK_KEYCHAIN: 'off',
        AWS_ENDPOINT_URL: peer!.endpoint,
        AWS_SHARED_CREDENTIALS_FILE: join(aws, 'credentials'),
        AWS_CONFIG_FILE: join(aws, 'config'),
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      expect(await vaultlink('init')).toMatchObject({ code: 0 });
    }, SETUP_MS);
    afterAll(async () => {
      await user?.cleanup();
      seed?.destroy();
    });

    it('`link --help` shows the provider\'s flags, built from its flag specs', async () => {
      const help = await vaultlink('link', 'x', '--provider', 'aws-ssm', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('aws-ssm options:');
      expect(help.stdout).toMatch(/--name <NAME>\s+Parameter name/);
      expect(help.stdout).toMatch(/--version <N>\s+Pin a version/);
    });

    it('connect, `link x --provider aws-ssm --name /team/api-key`, then `get x` prints the value', async () => {
      const connect = await vaultlink('connect', 'aws-ssm', '--region', peer!.region, '--profile', 'reader');
      expect(connect.code, connect.stderr).toBe(0);
      expect(connect.stderr).toContain('account 123456789012 (arn:aws:iam::123456789012:user/cli-reader-');
      expect(await vaultlink('link', 'x', '--provider', 'aws-ssm', '--name', '/team/api-key')).toMatchObject({ code: 0 });
      expect(await vaultlink('get', 'x')).toMatchObject({ code: 0, stdout: values.latest });
      expect(await vaultlink('link', 'old', '--provider', 'aws-ssm', '--name', '/team/api-key', '--version', String(values.oldVersion))).toMatchObject({ code: 0 });
      expect(await vaultlink('get', 'old')).toMatchObject({ code: 0, stdout: values.old });
    });

    it('a bad --name is exit 2 naming the flag; a missing parameter is exit 4 with the relink command', async () => {
      const bad = await vaultlink('--json', 'link', 'bad', '--provider', 'aws-ssm', '--name', 'arn:aws:s3:::bucket');
      expect(bad.code).toBe(2);
      expect(JSON.parse(bad.stderr).error).toMatchObject({ code: 'INVALID_LINK', issues: [expect.objectContaining({ field: 'name' })] });
      expect(await vaultlink('link', 'gone', '--provider', 'aws-ssm', '--name', '/team/no-such-parameter')).toMatchObject({ code: 0 });
      const gone = await vaultlink('--json', 'get', 'gone');
      expect(gone.code).toBe(4);
      expect(JSON.parse(gone.stderr).error).toMatchObject({ code: 'NOT_FOUND', fix: expect.stringContaining('--provider aws-ssm --name NAME') });
    });

    it('the values reach no file and no message: only the stdout of `get`', async () => {
      const home = join(root, 'home');
      const files = await readdir(home, { recursive: true });
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const bytes = await readFile(join(home, file)).catch(() => Buffer.alloc(0)); // folders read as nothing
        expect(bytes.includes(values.latest) || bytes.includes(values.old), file).toBe(false);
      }
      expect(await vaultlink('show', 'x')).toMatchObject({ code: 0 });
      for (const { args, stdout, stderr } of transcript) {
        const printed = args[0] === 'get' ? stderr : stdout + stderr;
        expect(printed.includes(values.latest) || printed.includes(values.old), args.join(' ')).toBe(false);
      }
    });
  });
});
