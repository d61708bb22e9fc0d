/**
 * `@vault/agent`: the agent itself, for the daemon entry and for hosts that embed it (the
 * CLI's `agent start --foreground`, a local web UI serving the same AgentService).
 */
export { runAgent, type RunAgentOptions, type RunningAgent } from './run-agent.js';
export {
  AgentService,
  DEFAULT_IDLE_LOCK_MINUTES,
  DEFAULT_CACHE_MAX_ENTRIES,
  type AgentServiceOptions,
  type CallOptions,
} from './service.js';
export { remoteIO, silentIO, type IoChannel } from './remote-io.js';
export { fileLog, streamLog, type AgentLog } from './log.js';
export { agentPaths, type AgentPaths } from '../shared/paths.js';
export { agentPathsFor } from '../shared/home.js';
export { PROTOCOL_VERSION, MAX_REQUEST_BYTES, MESSAGE_DEADLINE_MS, type AgentStatus, type UiLink } from '../shared/protocol.js';
export { AGENT_VERSION } from './version.js';
