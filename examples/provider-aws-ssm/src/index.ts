/**
 * vaultlink-provider-aws-ssm: AWS Systems Manager Parameter Store (String and SecureString, decrypted), linked by
 * parameter name or ARN, latest or a pinned version. vaultlink batches reads: one GetParameters takes 10.
 */
import { VaultError, defineProvider, readFields, type CallOptions, type FlagSpec, type Session } from '@vault/core/provider';
import type { Parameter } from '@aws-sdk/client-ssm';
import { PROVIDER_ID, loadSsm, loadSts, notFound, send, sendOptions, type SsmSessionData, type Target } from './aws.js';

const LINK_FLAGS = [
  { name: 'name', type: 'string', placeholder: 'NAME', description: 'Parameter name, e.g. /team/api-key, or its ARN.' },
  { name: 'version', type: 'string', placeholder: 'N', description: 'Pin a version of the parameter (default: the latest).' },
] as const satisfies readonly FlagSpec[];

const CONNECT_FLAGS = [
  { name: 'region', type: 'string', env: 'AWS_REGION', placeholder: 'REGION', description: 'Region of parameters linked by name.' },
  { name: 'profile', type: 'string', env: 'AWS_PROFILE', placeholder: 'NAME', description: 'Profile of ~/.aws/config to sign with (default: the AWS SDK chain).' },
] as const satisfies readonly FlagSpec[];

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const NAME = /^\/?[\w.-]+(\/[\w.-]+)*$/;
const ARN = /^arn:aws(-cn|-us-gov)?:ssm:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:parameter\/[\w.-]+(\/[\w.-]+)*$/;
/** `id` is the name or ARN as given; `region` comes from an ARN (links by name use the session's). */
type SsmLink = { id: string; region?: string; version?: number };

/** `name` or `name:version`, as GetParameter(s) take it. */
const selector = (link: SsmLink): string => (link.version ? `${link.id}:${link.version}` : link.id);
const target = (link: SsmLink, session: Session<SsmSessionData>, action: string): Target =>
  ({ region: link.region ?? session.data.region, action, subject: selector(link) });

async function readParameter(link: SsmLink, session: Session<SsmSessionData>, call: CallOptions): Promise<Parameter> {
  const { SSMClient, GetParameterCommand } = await loadSsm();
  const command = new GetParameterCommand({ Name: selector(link), WithDecryption: true });
  const answer = await send(session.data, target(link, session, 'ssm:GetParameter'), SSMClient, (c) => c.send(command, sendOptions(call)));
  return answer.Parameter!;
}

/** The link's entry in a GetParameters answer: its pinned version, else the newest one of its name (moto sends no `Selector`). */
function pick(found: Parameter[], link: SsmLink): Parameter | undefined {
  const same = found.filter((p) => p.Name === link.id || p.ARN === link.id).sort((a, b) => (b.Version ?? 0) - (a.Version ?? 0));
  return link.version ? same.find((p) => p.Version === link.version) : same[0];
}

export default defineProvider({
  id: PROVIDER_ID,
  displayName: 'AWS Systems Manager Parameter Store',
  capabilities: { versions: true, maxBatchSize: 10, concurrency: 8 },
  flags: { link: LINK_FLAGS, connect: CONNECT_FLAGS },

  parseLink(fields): SsmLink {
    const id = fields.required('name', 'a parameter name such as /team/api-key, or its ARN');
    const arn = id?.startsWith('arn:') ? ARN.exec(id) : undefined;
    if (arn === null) fields.issue('name', 'is not a Parameter Store ARN', 'arn:<partition>:ssm:<region>:<account>:parameter/<name>');
    else if (id && !arn && !NAME.test(id)) fields.issue('name', `"${id}" is not a parameter name`, 'letters, digits, _ . - and / between levels');
    const version = fields.text('version');
    if (version && !/^[1-9]\d{0,8}$/.test(version)) fields.issue('version', `"${version}" is not a version`, 'a whole number from 1');
    return { id: id!, ...(arn ? { region: arn[2] } : {}), ...(version ? { version: Number(version) } : {}) };
  },
  batchKey: (link) => link.region ?? '',
  summarize: (link) => ({ identifier: link.id, ...(link.version ? { version: String(link.version) } : {}) }),
  linkFlags: (link) => ({ name: link.id, ...(link.version ? { version: String(link.version) } : {}) }), // for manifests and relink fixes

  async authenticate(raw, _io, context) {
    const fields = readFields(CONNECT_FLAGS, raw, { strict: false });
    const region = fields.required('region', 'an AWS region such as us-east-1 (or AWS_REGION)');
    if (region && !REGION.test(region)) fields.issue('region', `"${region}" is not an AWS region`, 'an AWS region such as us-east-1');
    const profile = fields.text('profile');
    fields.throwIfAny('INVALID_INPUT', 'Cannot connect to AWS Systems Manager.', { provider: PROVIDER_ID });
    const data: SsmSessionData = { region: region!, ...(profile ? { profile } : {}) };
    // STS GetCallerIdentity needs no permission: it checks the credentials now and names the account.
    const { STSClient, GetCallerIdentityCommand } = await loadSts();
    const me = { region: data.region, action: 'sts:GetCallerIdentity', subject: 'your identity' };
    const { Account = '?', Arn = '?' } = await send(data, me, STSClient, (c) => c.send(new GetCallerIdentityCommand({}), { requestTimeout: context.timeoutMs ?? 15_000 }));
    return { provider: PROVIDER_ID, organization: Account, principal: `account ${Account} (${Arn})`, expiresAt: null, createdAt: new Date().toISOString(), data };
  },

  readDocument: readParameter,
  async readBatch(links, session, call) {
    const { SSMClient, GetParametersCommand } = await loadSsm();
    const command = new GetParametersCommand({ Names: links.map(selector), WithDecryption: true });
    const batch = { ...target(links[0]!, session, 'ssm:GetParameters'), subject: `${links.length} parameters` };
    const { Parameters = [] } = await send(session.data, batch, SSMClient, (c) => c.send(command, sendOptions(call)));
    return links.map((link) => {
      const document = pick(Parameters, link);
      return document ? { ok: true, document } : { ok: false, error: notFound(target(link, session, 'ssm:GetParameters')) };
    });
  },
  select(link, { Value, Version }) {
    if (Value === undefined) throw new VaultError('UNSUPPORTED_VALUE', `AWS sent no value for ${selector(link)}.`, { provider: PROVIDER_ID });
    return { value: Value, ...(Version ? { version: String(Version) } : {}) };
  },
  async describe(link, session, call) {
    const { Name, ARN: arn, Type, Version, LastModifiedDate } = await readParameter(link, session, call);
    return { name: Name, arn, type: Type, version: Version, lastModified: LastModifiedDate?.toISOString() };
  },
});
