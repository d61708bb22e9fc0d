/**
 * `@vault/agent/connect`: the smallest part of the client, for the lean path of `vaultlink get`:
 * find the socket, check it, connect, ask. No process spawning, no VaultApi.
 */
export { agentPaths, type AgentPaths } from '../shared/paths.js';
export { AgentConnection, type RequestOptions } from './connection.js';
export { isLockedByAgent } from './locked.js';
