/** What a reference to a secret does right now, without a network call (the words of `vaultlink list`). */
import type { SecretInfo } from '../api/types.js';

export type SecretState = 'enabled' | 'disabled' | 'disconnected';

export function secretState(secret: SecretInfo, connected: readonly string[]): SecretState {
  if (!secret.enabled) return 'disabled';
  if (secret.kind === 'linked' && secret.provider && !connected.includes(secret.provider)) return 'disconnected';
  return 'enabled';
}

export function stateLabel(state: SecretState): string {
  return state === 'disconnected' ? 'Unresolved (disconnected)' : state === 'disabled' ? 'Disabled' : 'Enabled';
}
