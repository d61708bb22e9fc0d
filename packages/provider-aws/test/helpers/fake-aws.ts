/**
 * A fake AWS on nock: Secrets Manager (JSON 1.1 protocol) and STS (query protocol, XML).
 * Every request is recorded, so tests count upstream calls and read what was sent.
 */
import nock from 'nock';

export const SM_URL = 'http://secretsmanager.aws.test';
export const STS_URL = 'http://sts.aws.test';
export const ACCOUNT = '123456789012';

export interface RecordedCall {
  service: 'secretsmanager' | 'sts';
  op: string;
  body: Record<string, unknown>;
  /** The SigV4 Authorization header (access key ID and credential scope, no secret). */
  authorization: string;
}

/** [status, body, headers?]; a string body is sent as is (e.g. XML). */
export type Reply = [number, unknown, Record<string, string>?];
export type Handler = (op: string, body: Record<string, unknown>, call: RecordedCall) => Reply | Promise<Reply>;

export interface FakeAws {
  calls: RecordedCall[];
  ops(service?: 'secretsmanager' | 'sts'): string[];
}

/** Points the SDK's per-service endpoint variables at the fakes (the SDK reads them itself). */
export function useFakeEndpoints(): void {
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = SM_URL;
  process.env.AWS_ENDPOINT_URL_STS = STS_URL;
  delete process.env.AWS_ENDPOINT_URL;
  // Keep the machine's own AWS setup out of unit tests.
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  delete process.env.AWS_PROFILE;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  nock.disableNetConnect();
}

export function fakeAws(handlers: { secretsmanager?: Handler; sts?: Handler }, urls: { sm?: string; sts?: string } = {}): FakeAws {
  const calls: RecordedCall[] = [];
  const mount = (url: string, service: 'secretsmanager' | 'sts', handler: Handler | undefined) => {
    nock(url)
      .persist()
      .post('/')
      .delay(0)
      .reply(async function (_uri, rawBody) {
        const headers = this.req.headers as Record<string, string>;
        const text = typeof rawBody === 'string' ? rawBody : JSON.stringify(rawBody);
        const body: Record<string, unknown> =
          service === 'secretsmanager' ? (text ? JSON.parse(text) : {}) : Object.fromEntries(new URLSearchParams(text));
        const op = service === 'secretsmanager' ? String(headers['x-amz-target']).split('.')[1]! : String(body.Action);
        const call: RecordedCall = { service, op, body, authorization: String(headers.authorization ?? '') };
        calls.push(call);
        if (!handler) return [500, `no fake handler for ${service}`];
        const [status, payload, extra] = await handler(op, body, call);
        const contentType = service === 'secretsmanager' ? 'application/x-amz-json-1.1' : 'text/xml';
        return [
          status,
          typeof payload === 'string' ? payload : JSON.stringify(payload),
          { 'content-type': contentType, 'x-amzn-requestid': 'req-1', ...extra },
        ];
      });
  };
  mount(urls.sm ?? SM_URL, 'secretsmanager', handlers.secretsmanager);
  mount(urls.sts ?? STS_URL, 'sts', handlers.sts);
  return { calls, ops: (service) => calls.filter((c) => !service || c.service === service).map((c) => c.op) };
}

export function resetFakes(): void {
  nock.cleanAll();
  nock.abortPendingRequests();
}

export function arnOf(name: string, region = 'us-east-1', suffix = 'AbCdEf', account = ACCOUNT): string {
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

/** A Secrets Manager JSON error, as AWS sends it. */
export function smError(type: string, message: string, status = 400): Reply {
  return [status, { __type: type, message }];
}

export function stsError(code: string, message: string, status = 403): Reply {
  return [
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
  ];
}

export function stsIdentity(arn = `arn:aws:iam::${ACCOUNT}:user/alice`, account = ACCOUNT): Reply {
  return [
    200,
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  ];
}

export interface TempCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

function credentialsXml(c: TempCredentials): string {
  return `<Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${c.secretAccessKey}</SecretAccessKey><SessionToken>${c.sessionToken}</SessionToken><Expiration>${c.expiration.toISOString()}</Expiration></Credentials>`;
}

export function stsSessionToken(c: TempCredentials): Reply {
  return [
    200,
    `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult>${credentialsXml(c)}</GetSessionTokenResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetSessionTokenResponse>`,
  ];
}

export function stsAssumeRole(c: TempCredentials, roleArn: string): Reply {
  return [
    200,
    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>${credentialsXml(c)}<AssumedRoleUser><Arn>${roleArn.replace(':iam:', ':sts:').replace(':role/', ':assumed-role/')}/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  ];
}

/** The access key ID a request was signed with. */
export function signedWith(call: RecordedCall): string | undefined {
  return /Credential=([^/]+)\//.exec(call.authorization)?.[1];
}

/** The region in a request's SigV4 credential scope. */
export function signedRegion(call: RecordedCall): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(call.authorization)?.[1];
}
