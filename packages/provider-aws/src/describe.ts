/** `show`'s upstream part: DescribeSecret metadata. Never the value (DescribeSecret has none). */
import type { CallOptions as ProviderCall, Session } from '@vault/core/provider';
import type { AwsClients, CallOptions } from './client.js';
import { sendOptions } from './client.js';
import { ForbiddenDiagnosis } from './diagnose.js';
import { toVaultError, type ErrorContext } from './errors.js';
import { secretArnOf, type AwsLink } from './link.js';
import { loadSecretsManager } from './sdk.js';
import { credentialsKey, sessionCredentials } from './session.js';

function iso(date: Date | undefined): string | null {
  return date ? new Date(date).toISOString() : null;
}

export async function describeLink(
  clients: AwsClients,
  link: AwsLink,
  session: Session<unknown>,
  options: ProviderCall,
): Promise<Record<string, unknown>> {
  const call: CallOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const { account, region, partition, name } = secretArnOf(link);
  const base = sessionCredentials(session);
  const credentials = await clients.credentialsFor(base, link.roleArn, region, call);
  try {
    const [client, { DescribeSecretCommand }] = await Promise.all([clients.secretsManager(credentials, region), loadSecretsManager()]);
    const answer = await client.send(new DescribeSecretCommand({ SecretId: link.arn }), sendOptions(call));
    const current = Object.entries(answer.VersionIdsToStages ?? {}).find(([, stages]) => stages?.includes('AWSCURRENT'));
    return {
      arn: answer.ARN ?? link.arn,
      name: answer.Name ?? name,
      role: link.roleArn ?? null,
      account,
      region,
      partition,
      versionId: current?.[0] ?? null,
      versionStage: 'AWSCURRENT',
      lastChangedDate: iso(answer.LastChangedDate),
      lastAccessedDate: iso(answer.LastAccessedDate),
      createdDate: iso(answer.CreatedDate),
      ...(answer.DeletedDate ? { deletedDate: iso(answer.DeletedDate) } : {}),
      ...(answer.Description ? { description: answer.Description } : {}),
      ...(answer.KmsKeyId ? { kmsKeyId: answer.KmsKeyId } : {}),
      rotationEnabled: answer.RotationEnabled ?? false,
      ...(link.jsonKey !== undefined ? { jsonKey: link.jsonKey } : {}),
      ...(link.binary ? { binary: link.binary } : {}),
    };
  } catch (error) {
    const context: ErrorContext = { operation: 'DescribeSecret', phase: 'use', secretArn: link.arn, timeoutMs: call.timeoutMs };
    const diagnosis = new ForbiddenDiagnosis(clients, call);
    throw await diagnosis.refine(toVaultError(error, context), credentialsKey(credentials), credentials, region, context);
  }
}
