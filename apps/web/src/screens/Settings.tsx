/**
 * Settings: "Secret expiry duration (in minutes)" (0 disables the cache), "Manually Reset
 * Cache" for every secret or one, what the cache holds now (names and ages, never values),
 * and the agent's idle-lock time.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { AgentState, SecretList } from '../api/types.js';
import { useAction } from '../components/Busy.js';
import { ErrorView } from '../errors/ErrorView.js';

export function SettingsScreen({ state, onChanged }: { state: AgentState; onChanged(): Promise<void> }): JSX.Element {
  const [expiry, setExpiry] = useState(String(state.cache.expiryMinutes ?? 60));
  const [idle, setIdle] = useState(String(state.idleLockMinutes));
  const [linked, setLinked] = useState<string[]>([]);
  const [one, setOne] = useState('');
  const [notice, setNotice] = useState('');
  const expiryAction = useAction();
  const resetAction = useAction();
  const idleAction = useAction();
  useEffect(() => {
    void api
      .get<SecretList>('/secrets')
      .then((list) => setLinked(list.secrets.filter((s) => s.kind === 'linked').map((s) => s.name)))
      .catch(() => undefined);
  }, []);

  const saveExpiry = (event: Event): void => {
    event.preventDefault();
    void expiryAction.run(async () => {
      await api.put('/settings/expiry', { minutes: Number(expiry) });
      setNotice(Number(expiry) === 0 ? 'Caching is off: every use reads the external vault.' : `Values are cached for ${expiry} minutes.`);
      await onChanged();
    });
  };
  const reset = (name?: string): void =>
    void resetAction.run(async () => {
      await api.post('/cache/reset', name ? { name } : {});
      setNotice(name ? `Dropped the cached value of ${name}.` : 'Dropped every cached value.');
      await onChanged();
    });
  const saveIdle = (event: Event): void => {
    event.preventDefault();
    void idleAction.run(async () => {
      await api.put('/settings/idle-lock', { minutes: Number(idle) });
      setNotice(Number(idle) === 0 ? 'The agent no longer locks when idle.' : `The agent locks after ${idle} idle minutes.`);
      await onChanged();
    });
  };

  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form class="setting" onSubmit={saveExpiry}>
        <div class="field inline">
          <label for="expiry-minutes">Secret expiry duration (in minutes)</label>
          <input
            id="expiry-minutes"
            type="number"
            min={0}
            step={1}
            value={expiry}
            onInput={(e) => setExpiry(e.currentTarget.value)}
            aria-describedby="expiry-help"
            required
          />
          <button type="submit" disabled={expiryAction.busy}>
            Save expiry
          </button>
        </div>
        <small id="expiry-help">How long values fetched from external vaults stay in the agent's memory. 0 disables caching.</small>
        <ErrorView error={expiryAction.error} />
      </form>

      <div class="setting">
        <h3>Cache</h3>
        <div class="actions">
          <button type="button" onClick={() => reset()} disabled={resetAction.busy}>
            Manually Reset Cache
          </button>
          <div class="field inline">
            <label for="reset-one">Reset one secret</label>
            <select id="reset-one" value={one} onChange={(e) => setOne(e.currentTarget.value)}>
              <option value="">Choose a linked secret…</option>
              {linked.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => one && reset(one)} disabled={resetAction.busy || one === ''}>
              Reset
            </button>
          </div>
        </div>
        <ErrorView error={resetAction.error} />
        {state.cache.entries.length === 0 ? (
          <p class="muted">The cache is empty.</p>
        ) : (
          <table class="cache">
            <caption>
              Cached values ({state.cache.entries.length} of at most {state.cache.maxEntries}); values are never shown here
            </caption>
            <thead>
              <tr>
                <th scope="col">Secrets</th>
                <th scope="col">Provider</th>
                <th scope="col">Age</th>
                <th scope="col">Expires in</th>
              </tr>
            </thead>
            <tbody>
              {state.cache.entries.map((entry, i) => (
                <tr key={i}>
                  <td>{entry.names.join(', ') || '(no name links it now)'}</td>
                  <td>{entry.provider}</td>
                  <td>{entry.ageSeconds} s</td>
                  <td>{entry.expiresInSeconds} s</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <form class="setting" onSubmit={saveIdle}>
        <div class="field inline">
          <label for="idle-lock-minutes">Lock the agent after (idle minutes)</label>
          <input
            id="idle-lock-minutes"
            type="number"
            min={0}
            step={1}
            value={idle}
            onInput={(e) => setIdle(e.currentTarget.value)}
            aria-describedby="idle-help"
            required
          />
          <button type="submit" disabled={idleAction.busy}>
            Save idle lock
          </button>
        </div>
        <small id="idle-help">
          0: never. Applies to this agent run (pid {state.pid}); <code>vaultlink agent start --idle-lock MIN</code> sets it at start.
          {state.locksAt ? ` Locks at ${state.locksAt} if nothing happens.` : ''}
        </small>
        <ErrorView error={idleAction.error} />
      </form>

      <div class="setting muted">
        <h3>Agent</h3>
        <p>
          vaultlink {state.version}, pid {state.pid}, vault <code>{state.home}</code>; {state.upstreamReads} upstream reads since it
          started.
        </p>
      </div>
    </section>
  );
}
