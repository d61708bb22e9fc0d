/**
 * The tests' AWS: a moto server with IAM auth enforced (SigV4 checked, policies evaluated), found through
 * the environment, seeded as its admin; and a loopback proxy in front of it that counts the provider's
 * requests by operation. Point the provider at the proxy with AWS_ENDPOINT_URL, which the AWS SDK reads itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ProviderIO } from '@vault/core/provider';

export interface Moto {
  endpoint: string;
  region: string;
  admin: { accessKeyId: string; secretAccessKey: string };
}

/** The moto server to test against. vaultlink's test harness exports these variables (see README). */
export function moto(env = process.env): Moto {
  const names = ['PEER_MOTO_AUTH_ENDPOINT', 'PEER_MOTO_ADMIN_ACCESS_KEY_ID', 'PEER_MOTO_ADMIN_SECRET_ACCESS_KEY'] as const;
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`These tests need a moto server with auth enforced; set ${missing.join(', ')} (see README.md, "Tests").`);
  }
  return {
    endpoint: env.PEER_MOTO_AUTH_ENDPOINT!,
    region: env.PEER_MOTO_REGION || 'us-east-1',
    admin: { accessKeyId: env.PEER_MOTO_ADMIN_ACCESS_KEY_ID!, secretAccessKey: env.PEER_MOTO_ADMIN_SECRET_ACCESS_KEY! },
  };
}

/** moto keeps users and parameters for the life of the server: every run uses new names. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Seeds parameters and IAM users as moto's admin. */
export function seeder(peer: Moto) {
  const config = { endpoint: peer.endpoint, region: peer.region, credentials: peer.admin, maxAttempts: 1 };
  const ssm = new SSMClient(config);
  const iam = new IAMClient(config);
  return {
    /** Writes the values in order as versions 1, 2, ... of `name`; returns its ARN. */
    async parameter(name: string, values: string[], type: 'String' | 'SecureString' = 'SecureString'): Promise<string> {
      for (const [i, value] of values.entries()) {
        await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: i > 0 }));
      }
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
      return Parameter!.ARN!;
    },
    /** An IAM user with an access key, allowed `actions` (none: every request is denied). */
    async user(actions: string[]): Promise<Keys> {
      const UserName = unique('ssm-user');
      await iam.send(new CreateUserCommand({ UserName }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
      if (actions.length > 0) {
        // moto checks SSM actions against resource "*" only, so policies here cannot name a parameter.
        const PolicyDocument = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
        await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: 'ssm-read', PolicyDocument }));
      }
      return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    },
    close(): void {
      ssm.destroy();
      iam.destroy();
    },
  };
}

/**
 * A loopback proxy to moto that counts requests by operation (`GetParameters`, `GetCallerIdentity`, ...).
 * With `fault`, SSM requests get that AWS JSON error instead (faults moto cannot produce: 429, 5xx).
 */
export async function countingProxy(target: string, fault?: { status: number; awsError: string }) {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    // JSON services name the operation in X-Amz-Target (AmazonSSM.GetParameters); query ones in the form body.
    const [service, operation = 'query'] = String(incoming.headers['x-amz-target'] ?? '').split('.');
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    if (fault && service === 'AmazonSSM') {
      incoming.resume();
      outgoing.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': fault.awsError });
      return void outgoing.end(JSON.stringify({ __type: fault.awsError, message: 'injected by the test proxy' }));
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (...operations: string[]) => operations.reduce((sum, op) => sum + (counts.get(op) ?? 0), 0),
    reset: () => counts.clear(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Keys = { accessKeyId: string; secretAccessKey: string };

/**
 * Shared credentials and config files of this test run, as `aws configure` writes them, in a temp folder;
 * AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE point at them (the SDK reads those variables itself).
 */
export function sharedFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'vl-ssm-aws-'));
  const files = { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') };
  const profiles = new Map<string, Keys>();
  const write = () => {
    const sections = [...profiles].map(([name, k]) => `[${name}]\naws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`);
    writeFileSync(files.AWS_SHARED_CREDENTIALS_FILE, sections.join('\n'));
  };
  writeFileSync(files.AWS_CONFIG_FILE, '');
  write();
  Object.assign(process.env, files);
  return {
    files,
    /** Adds (or replaces) a profile with these keys. */
    profile(name: string, keys: Keys): string {
      profiles.set(name, keys);
      write();
      return name;
    },
    remove(name: string): void {
      profiles.delete(name);
      write();
    },
    close(): void {
      for (const name of Object.keys(files)) delete process.env[name];
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A ProviderIO for tests: nobody to ask, messages kept. */
export function quietIo(env: Record<string, string | undefined> = process.env): ProviderIO {
  return {
    interactive: false,
    env,
    prompt: (question) => Promise.reject(new Error(`unexpected prompt in a test: ${question}`)),
    openBrowser: async () => undefined,
    info: () => undefined,
    warn: () => undefined,
    progress: () => undefined,
  };
}
