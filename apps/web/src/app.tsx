/**
 * The vault UI: a header with the screens and "Lock now", and the screen of the current
 * hash route. The agent's state is read every few seconds (a status read does not count as
 * activity, so the idle lock still happens); a locked agent shows the unlock screen, a lost
 * session says how to get a new link, and store warnings the agent met (a rolled-back vault
 * file) show above every screen until dismissed.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, onApiError } from './api/client.js';
import type { AgentState } from './api/types.js';
import { StoreWarnings } from './components/StoreWarnings.js';
import { go, useRoute } from './route.js';
import { IntegrationsScreen } from './screens/Integrations.js';
import { LockedScreen } from './screens/Locked.js';
import { SecretDetailsScreen } from './screens/SecretDetails.js';
import { SecretsScreen } from './screens/Secrets.js';
import { SettingsScreen } from './screens/Settings.js';

const STATE_POLL_MS = 5_000;

export function App(): JSX.Element {
  const route = useRoute();
  const [state, setState] = useState<AgentState | undefined>(undefined);
  const [signedOut, setSignedOut] = useState(false);
  /** Warnings up to this number were dismissed. */
  const [dismissed, setDismissed] = useState(0);
  const refresh = useCallback(async () => {
    try {
      setState(await api.get<AgentState>('/state'));
    } catch {
      // onApiError below handles 401; other failures keep the last state
    }
  }, []);

  useEffect(() => {
    const off = onApiError((error) => {
      if (error.status === 401) setSignedOut(true);
      else if (error.error.code === 'VAULT_LOCKED') void refresh();
    });
    void refresh();
    const timer = setInterval(() => void refresh(), STATE_POLL_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [refresh]);
  // A fix's Unlock button: look at the lock now (the unlock screen shows when it is locked).
  useEffect(() => {
    if (route.screen === 'unlock') void refresh();
  }, [route.screen, refresh]);

  if (signedOut) {
    return (
      <main class="center">
        <h1>vaultlink</h1>
        <p role="alert">
          This page's session ended (the agent restarted, or the session expired). Run <code>vaultlink ui</code> again for a new link.
        </p>
      </main>
    );
  }
  if (!state) return <main class="center">Loading…</main>;
  if (state.locked) {
    const unlocked = async (): Promise<void> => {
      await refresh();
      if (route.screen === 'unlock') go('#/secrets');
    };
    return <LockedScreen state={state} onUnlocked={unlocked} />;
  }
  const warnings = state.warnings.filter((warning) => warning.seq > dismissed);

  const lock = async (): Promise<void> => {
    await api.post('/lock').catch(() => undefined);
    await refresh();
  };
  return (
    <>
      <header class="top">
        <h1>
          <a href="#/secrets">vaultlink</a>
        </h1>
        <nav aria-label="Screens">
          <a href="#/secrets" aria-current={route.screen === 'secrets' ? 'page' : undefined}>
            Vault secrets
          </a>
          <a href="#/integrations" aria-current={route.screen === 'integrations' ? 'page' : undefined}>
            Integrations
          </a>
          <a href="#/settings" aria-current={route.screen === 'settings' ? 'page' : undefined}>
            Settings
          </a>
        </nav>
        <button type="button" onClick={() => void lock()}>
          Lock now
        </button>
      </header>
      <main>
        <StoreWarnings warnings={warnings} onDismiss={() => setDismissed(Math.max(dismissed, ...warnings.map((w) => w.seq)))} />
        {(route.screen === 'unlock' || (route.screen === 'secrets' && !route.name)) && <SecretsScreen />}
        {route.screen === 'secrets' && route.name && <SecretDetailsScreen name={route.name} />}
        {route.screen === 'integrations' && <IntegrationsScreen focus={route.name} action={route.action} />}
        {route.screen === 'settings' && <SettingsScreen state={state} onChanged={refresh} />}
      </main>
    </>
  );
}
