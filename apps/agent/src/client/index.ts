/**
 * `@vault/agent/client`: what a vaultlink command needs to use the agent. Small on purpose:
 * no engine, no provider; @vault/core is loaded only to build an error or a provider.
 */
export { agentPaths, type AgentPaths } from '../shared/paths.js';
export { agentPathsFor } from '../shared/home.js';
export {
  PROTOCOL_VERSION,
  MAX_REQUEST_BYTES,
  type AgentStatus,
  type RequestContext,
  type UiLink,
  type WireWarning,
} from '../shared/protocol.js';
export { AgentConnection, type RequestOptions } from './connection.js';
export { RemoteVault, type RemoteVaultOptions } from './remote-vault.js';
export { isLockedByAgent } from './locked.js';
export { startAgent, stopAgent, agentStatus, daemonPath, type StartOptions, type StartResult, type DaemonReport } from './lifecycle.js';
export { AgentNotRunning, AgentInsecure, connectError } from './errors.js';
export { fromSerialized, useCore, type CoreErrors } from '../shared/wire-errors.js';
