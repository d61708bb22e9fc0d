import type { MotoAuthPeer, MotoPeer } from '../require-peer.mjs';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  [key: string]: unknown;
}

export declare const OPEN_MOTO_CREDENTIALS: AwsCredentials;
export declare function allow(actions: string | string[], resources?: string | string[]): PolicyStatement;
export declare function trustPolicyFor(principalArns: string | string[]): Record<string, unknown>;

export interface MotoSeeder {
  readonly peer: MotoPeer | MotoAuthPeer;
  /** Config for your own SDK v3 clients against this peer (defaults to the seeder's credentials). */
  clientConfig(credentials?: AwsCredentials): { endpoint: string; region: string; credentials: AwsCredentials; maxAttempts: number };
  /** Returns the ARN (name + '-' + 6 random chars) and the first VersionId. */
  createSecret(
    name: string,
    value: string | Uint8Array,
    options?: { description?: string; tags?: Record<string, string> },
  ): Promise<{ arn: string; name: string; versionId: string }>;
  putSecretValue(
    secretId: string,
    value: string | Uint8Array,
    options?: { stages?: string[] },
  ): Promise<{ arn: string; versionId: string; stages: string[] }>;
  updateVersionStage(secretId: string, stage: string, options?: { moveToVersionId?: string; removeFromVersionId?: string }): Promise<void>;
  deleteSecret(secretId: string, options?: { force?: boolean }): Promise<void>;
  /** Writes an SSM parameter, as a new version when it exists. */
  putParameter(
    name: string,
    value: string,
    options?: { type?: 'String' | 'SecureString' | 'StringList' },
  ): Promise<{ version: number; arn: string }>;
  createUser(userName: string): Promise<{ arn: string; userName: string }>;
  createAccessKey(userName: string): Promise<{ accessKeyId: string; secretAccessKey: string }>;
  putUserPolicy(userName: string, policyName: string, statements: PolicyStatement[]): Promise<void>;
  createRole(
    roleName: string,
    trustPolicy: Record<string, unknown>,
    options?: { maxSessionDuration?: number },
  ): Promise<{ arn: string; roleName: string }>;
  putRolePolicy(roleName: string, policyName: string, statements: PolicyStatement[]): Promise<void>;
  createUserWithPolicy(userName: string, statements: PolicyStatement[]): Promise<{ arn: string; userName: string } & AwsCredentials>;
  createRoleWithPolicy(
    roleName: string,
    trustedArns: string | string[],
    statements: PolicyStatement[],
  ): Promise<{ arn: string; roleName: string }>;
  destroy(): void;
}

/** Seeder acting as `credentials`, else the moto-auth admin keys, else moto's open test keys. */
export declare function motoSeeder(peer: MotoPeer | MotoAuthPeer, options?: { credentials?: AwsCredentials }): MotoSeeder;
