import packageJson from '../../package.json' with { type: 'json' };

/** The installed @vault/agent version (shown by `agent status`). */
export const AGENT_VERSION: string = packageJson.version;
