/** VAULTLINK_AGENT read without loading anything (the lean `get` path uses it too). */
export type AgentMode = 'auto' | 'on' | 'off';

/** The mode a VAULTLINK_AGENT value names, or undefined for a value that names none. */
export function parseAgentMode(raw: string | undefined): AgentMode | undefined {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (['on', '1', 'true', 'yes'].includes(value)) return 'on';
  if (['off', '0', 'false', 'no'].includes(value)) return 'off';
  return undefined;
}
