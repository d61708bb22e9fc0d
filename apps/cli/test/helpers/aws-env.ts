/** Environment for CLI runs against moto: the AWS settings of the machine running the tests must not leak in. */
export function awsEnv(endpoint: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    ...extra,
  };
}

/** Points a sandbox's environment at moto: sets awsEnv's values and removes the variables it leaves unset. */
export function applyAwsEnv(env: Record<string, string>, endpoint: string, extra: Record<string, string | undefined> = {}): void {
  for (const [key, value] of Object.entries(awsEnv(endpoint, extra))) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
}
