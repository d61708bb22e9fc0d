/**
 * Whether a command goes through the agent. `VAULTLINK_AGENT`:
 * - `auto` (default): use a running agent; start one only when a person runs the command on
 *   a terminal outside CI (as gpg starts gpg-agent), so scripts and CI never leave a
 *   background process behind unless they ask for it;
 * - `on`: use the agent, starting it if needed, also in CI (fails with AGENT_UNAVAILABLE if
 *   it cannot);
 * - `off` (or `--no-agent`): everything in this process, as without an agent.
 */
import { VaultError } from '@vault/core';
import { parseAgentMode, type AgentMode } from './agent-env.js';
import { isCI } from './io.js';

export type { AgentMode } from './agent-env.js';

export function agentMode(env: Readonly<Record<string, string | undefined>>, noAgentFlag: boolean): AgentMode {
  if (noAgentFlag) return 'off';
  const mode = parseAgentMode(env.VAULTLINK_AGENT);
  if (mode) return mode;
  throw new VaultError('INVALID_CONFIG', 'VAULTLINK_AGENT has an unknown value.', {
    issues: [{ field: 'VAULTLINK_AGENT', problem: `is "${env.VAULTLINK_AGENT}"`, expected: 'auto (default), on or off' }],
    fix: 'set VAULTLINK_AGENT to auto, on or off',
  });
}

/** May this command start an agent that is not running? */
export function mayStartAgent(mode: AgentMode, env: Readonly<Record<string, string | undefined>>, interactive: boolean): boolean {
  return mode === 'on' || (mode === 'auto' && interactive && !isCI(env));
}
