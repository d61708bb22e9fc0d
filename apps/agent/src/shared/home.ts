/** The agent of the vault an environment points at (VAULTLINK_HOME, else the XDG default, via core). */
import { defaultVaultHome } from '@vault/core/paths';
import { agentPaths, type AgentPaths } from './paths.js';

export function agentPathsFor(env: Readonly<Record<string, string | undefined>>): AgentPaths {
  return agentPaths(defaultVaultHome({ ...env }), env);
}
