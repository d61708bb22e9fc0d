/** The locked agent: it holds no key. The passphrase unlocks it for every client (CLI included). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { AgentState } from '../api/types.js';
import { useAction } from '../components/Busy.js';
import { ErrorView } from '../errors/ErrorView.js';

export function LockedScreen({ state, onUnlocked }: { state: AgentState; onUnlocked(): Promise<void> }): JSX.Element {
  const [passphrase, setPassphrase] = useState('');
  const action = useAction();
  const submit = (event: Event): void => {
    event.preventDefault();
    void action.run(async () => {
      await api.post('/unlock', { passphrase });
      setPassphrase('');
      await onUnlocked();
    });
  };
  return (
    <main class="center locked">
      <h1>vaultlink</h1>
      <h2>The vault is locked</h2>
      <p>
        The agent (pid {state.pid}) holds no key for <code>{state.home}</code>. Unlock it with the vault passphrase; every vaultlink command
        uses it again then.
      </p>
      <form onSubmit={submit}>
        <div class="field">
          <label for="unlock-passphrase">Vault passphrase</label>
          <input
            id="unlock-passphrase"
            type="password"
            autocomplete="current-password"
            autofocus
            value={passphrase}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
            required
          />
        </div>
        <button type="submit" class="primary" disabled={action.busy || passphrase === ''}>
          Unlock
        </button>
      </form>
      <ErrorView error={action.error} />
    </main>
  );
}
