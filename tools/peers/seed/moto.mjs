// Seeding helpers for the moto peers, through the AWS SDK v3 (loaded lazily, on first call).
//   const aws = motoSeeder(requirePeer('moto-auth'));          // acts as the seeded admin
//   const { arn } = await aws.createSecret('app/db', '{"password":"x"}');
//   const reader = await aws.createUserWithPolicy('reader', [allow('secretsmanager:GetSecretValue', arn)]);
//   const { version } = await aws.putParameter('/team/api-key', 'v', { type: 'SecureString' });   // SSM Parameter Store
// IAM is global in moto (one IAM per account); secrets are per region. On the auth-enforced peer moto
// checks SigV4 against IAM access keys and evaluates the caller's IAM policies for every action;
// sts:AssumeRole additionally needs the role's trust policy to allow the caller.
// moto limit: Secrets Manager actions are checked against resource '*', so grant them with
// Resource '*' (a statement scoped to a secret ARN never matches there and the call is denied).

/** Credentials moto accepts when auth is not enforced. */
// Not frozen: the SDK tags the credentials object it is given.
export const OPEN_MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** One IAM policy statement allowing `actions` on `resources` (both string or string[]). */
export function allow(actions, resources = '*') {
  return { Effect: 'Allow', Action: actions, Resource: resources };
}

/** A trust policy letting the given principal ARNs call sts:AssumeRole. */
export function trustPolicyFor(principalArns) {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principalArns }, Action: 'sts:AssumeRole' }] };
}

const policyDocument = (statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/**
 * @param {{ endpoint: string, region?: string, adminAccessKeyId?: string, adminSecretAccessKey?: string }} peer
 *   from requirePeer('moto') or requirePeer('moto-auth')
 * @param {{ credentials?: { accessKeyId: string, secretAccessKey: string, sessionToken?: string } }} [options]
 */
export function motoSeeder(peer, { credentials } = {}) {
  const creds =
    credentials ??
    (peer.adminAccessKeyId
      ? { accessKeyId: peer.adminAccessKeyId, secretAccessKey: peer.adminSecretAccessKey }
      : { ...OPEN_MOTO_CREDENTIALS });
  const clientConfig = (c = creds) => ({ endpoint: peer.endpoint, region: peer.region ?? 'us-east-1', credentials: c, maxAttempts: 1 });
  let sm;
  let iam;
  let ssm;
  const secrets = async () => {
    if (!sm) {
      const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
      sm = new SecretsManagerClient(clientConfig());
    }
    return sm;
  };
  const iamClient = async () => {
    if (!iam) {
      const { IAMClient } = await import('@aws-sdk/client-iam');
      iam = new IAMClient(clientConfig());
    }
    return iam;
  };
  const sendSm = async (commandName, input) => {
    const mod = await import('@aws-sdk/client-secrets-manager');
    return (await secrets()).send(new mod[commandName](input));
  };
  const sendSsm = async (commandName, input) => {
    const mod = await import('@aws-sdk/client-ssm');
    ssm ??= new mod.SSMClient(clientConfig());
    return ssm.send(new mod[commandName](input));
  };
  const sendIam = async (commandName, input) => {
    const mod = await import('@aws-sdk/client-iam');
    return (await iamClient()).send(new mod[commandName](input));
  };
  const valueField = (value) => (typeof value === 'string' ? { SecretString: value } : { SecretBinary: value });

  const seeder = {
    peer,
    /** { endpoint, region, credentials, maxAttempts } for building your own SDK clients against this peer. */
    clientConfig,

    /** Creates a secret (string or binary value). Returns its ARN (name + '-' + 6 chars) and first VersionId. */
    async createSecret(name, value, { description, tags } = {}) {
      const res = await sendSm('CreateSecretCommand', {
        Name: name,
        ...valueField(value),
        ...(description ? { Description: description } : {}),
        ...(tags ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
      });
      return { arn: res.ARN, name: res.Name, versionId: res.VersionId };
    },
    /** Adds a version; by default it becomes AWSCURRENT (the previous one AWSPREVIOUS). */
    async putSecretValue(secretId, value, { stages } = {}) {
      const res = await sendSm('PutSecretValueCommand', {
        SecretId: secretId,
        ...valueField(value),
        ...(stages ? { VersionStages: stages } : {}),
      });
      return { arn: res.ARN, versionId: res.VersionId, stages: res.VersionStages };
    },
    /** Moves a staging label (e.g. a custom 'BLUE') onto a version, removing it from another. */
    async updateVersionStage(secretId, stage, { moveToVersionId, removeFromVersionId } = {}) {
      await sendSm('UpdateSecretVersionStageCommand', {
        SecretId: secretId,
        VersionStage: stage,
        ...(moveToVersionId ? { MoveToVersionId: moveToVersionId } : {}),
        ...(removeFromVersionId ? { RemoveFromVersionId: removeFromVersionId } : {}),
      });
    },
    async deleteSecret(secretId, { force = true } = {}) {
      await sendSm('DeleteSecretCommand', { SecretId: secretId, ForceDeleteWithoutRecovery: force });
    },

    /**
     * Writes an SSM parameter (a new version when it exists: moto keeps every version, as AWS does).
     * Returns its version and ARN.
     */
    async putParameter(name, value, { type = 'SecureString' } = {}) {
      const { Version } = await sendSsm('PutParameterCommand', { Name: name, Value: value, Type: type, Overwrite: true });
      const { Parameter } = await sendSsm('GetParameterCommand', { Name: name });
      return { version: Version, arn: Parameter.ARN };
    },

    async createUser(userName) {
      const res = await sendIam('CreateUserCommand', { UserName: userName });
      return { arn: res.User.Arn, userName };
    },
    async createAccessKey(userName) {
      const res = await sendIam('CreateAccessKeyCommand', { UserName: userName });
      return { accessKeyId: res.AccessKey.AccessKeyId, secretAccessKey: res.AccessKey.SecretAccessKey };
    },
    /** Puts an inline user policy from statements (see allow()). */
    async putUserPolicy(userName, policyName, statements) {
      await sendIam('PutUserPolicyCommand', { UserName: userName, PolicyName: policyName, PolicyDocument: policyDocument(statements) });
    },
    /** Creates a role whose trust policy is `trustPolicy` (see trustPolicyFor()). */
    async createRole(roleName, trustPolicy, { maxSessionDuration } = {}) {
      const res = await sendIam('CreateRoleCommand', {
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
        ...(maxSessionDuration ? { MaxSessionDuration: maxSessionDuration } : {}),
      });
      return { arn: res.Role.Arn, roleName };
    },
    async putRolePolicy(roleName, policyName, statements) {
      await sendIam('PutRolePolicyCommand', { RoleName: roleName, PolicyName: policyName, PolicyDocument: policyDocument(statements) });
    },

    /** createUser + createAccessKey + putUserPolicy in one go. */
    async createUserWithPolicy(userName, statements) {
      const { arn } = await seeder.createUser(userName);
      const key = await seeder.createAccessKey(userName);
      if (statements?.length) await seeder.putUserPolicy(userName, `${userName}-policy`, statements);
      return { arn, userName, ...key };
    },
    /** createRole (trusting `trustedArns`) + putRolePolicy in one go. */
    async createRoleWithPolicy(roleName, trustedArns, statements) {
      const role = await seeder.createRole(roleName, trustPolicyFor(trustedArns));
      if (statements?.length) await seeder.putRolePolicy(roleName, `${roleName}-policy`, statements);
      return role;
    },

    destroy() {
      sm?.destroy();
      iam?.destroy();
      ssm?.destroy();
    },
  };
  return seeder;
}
