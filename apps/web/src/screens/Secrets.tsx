/**
 * The vault's secret table: name, value (masked; reveal for local values only), allowed
 * domains, state, and the provider and identifier of linked ones; search and filter; add,
 * link, edit, rename, disable/enable and delete (confirmed).
 */
import type { JSX } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import { api, errorOf, secretPath } from '../api/client.js';
import type { SecretInfo, SecretList } from '../api/types.js';
import { useApiGet } from '../api/useApiGet.js';
import { Masked } from '../components/Masked.js';
import { ErrorView } from '../errors/ErrorView.js';
import { AddSecretDialog, DeleteDialog, DomainsDialog, EditValueDialog, RenameDialog } from './SecretDialogs.js';
import { LinkDialog } from './LinkDialog.js';
import { secretState, stateLabel, type SecretState } from './state.js';

type Filter = 'all' | 'local' | 'linked' | SecretState;
type Open =
  | { dialog: 'add' }
  | { dialog: 'link'; name?: string; provider?: string }
  | { dialog: 'value' | 'rename' | 'domains' | 'delete'; secret: SecretInfo }
  | undefined;

export function SecretsScreen(): JSX.Element {
  const { data: list, error, setError, reload: load } = useApiGet<SecretList>('/secrets');
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [open, setOpen] = useState<Open>(undefined);
  const close = useCallback(() => setOpen(undefined), []);
  const done = useCallback(() => {
    setOpen(undefined);
    void load();
  }, [load]);

  const toggle = async (secret: SecretInfo): Promise<void> => {
    try {
      await api.put(`${secretPath(secret.name)}/enabled`, { enabled: !secret.enabled });
      await load();
    } catch (caught) {
      setError(errorOf(caught));
    }
  };

  const rows = (list?.secrets ?? []).filter((s) => {
    if (
      search &&
      !s.name.toLowerCase().includes(search.toLowerCase()) &&
      !(s.identifier ?? '').toLowerCase().includes(search.toLowerCase())
    )
      return false;
    if (filter === 'local' || filter === 'linked') return s.kind === filter;
    if (filter !== 'all') return secretState(s, list!.connected) === filter;
    return true;
  });

  return (
    <section aria-labelledby="secrets-title">
      <div class="title-row">
        <h2 id="secrets-title">Vault secrets</h2>
        <div class="actions">
          <button type="button" onClick={() => setOpen({ dialog: 'add' })}>
            Add secret
          </button>
          <button type="button" class="primary" onClick={() => setOpen({ dialog: 'link' })}>
            Link vault secret
          </button>
        </div>
      </div>
      <div class="toolbar">
        <div class="field inline">
          <label for="secret-search">Search</label>
          <input
            id="secret-search"
            type="search"
            placeholder="name or identifier"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </div>
        <div class="field inline">
          <label for="secret-filter">Show</label>
          <select id="secret-filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="all">All secrets</option>
            <option value="local">Local values</option>
            <option value="linked">Linked secrets</option>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
            <option value="disconnected">Unresolved (disconnected)</option>
          </select>
        </div>
      </div>
      <ErrorView error={error} />
      {list && list.secrets.length === 0 && (
        <p class="empty">The vault has no secrets yet: add a local one, or link one to an external vault.</p>
      )}
      {list && list.secrets.length > 0 && (
        <table class="secrets">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Allowed domains</th>
              <th scope="col">State</th>
              <th scope="col">Provider</th>
              <th scope="col">Identifier</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((secret) => {
              const state = secretState(secret, list.connected);
              return (
                <tr key={secret.name} data-secret={secret.name}>
                  <th scope="row">
                    <a href={`#/secrets/${encodeURIComponent(secret.name)}`}>{secret.name}</a>
                  </th>
                  <td>{secret.kind === 'local' ? <Masked name={secret.name} /> : <span class="muted">linked</span>}</td>
                  <td>
                    {secret.allowedDomains.length ? secret.allowedDomains.join(', ') : <span class="muted">any</span>}{' '}
                    <button
                      type="button"
                      class="small link"
                      onClick={() => setOpen({ dialog: 'domains', secret })}
                      aria-label={`Edit allowed domains of ${secret.name}`}
                    >
                      Edit
                    </button>
                  </td>
                  <td>
                    <span class={`state state-${state}`}>{stateLabel(state)}</span>
                  </td>
                  <td>{secret.provider ?? <span class="muted">local</span>}</td>
                  <td class="identifier">
                    {secret.identifier ?? ''}
                    {secret.version ? ` @${secret.version}` : ''}
                  </td>
                  <td class="row-actions">
                    {secret.kind === 'local' ? (
                      <button
                        type="button"
                        class="small"
                        onClick={() => setOpen({ dialog: 'value', secret })}
                        aria-label={`Edit the value of ${secret.name}`}
                      >
                        Edit
                      </button>
                    ) : (
                      <button
                        type="button"
                        class="small"
                        onClick={() =>
                          setOpen({ dialog: 'link', name: secret.name, ...(secret.provider ? { provider: secret.provider } : {}) })
                        }
                        aria-label={`Relink ${secret.name}`}
                      >
                        Relink
                      </button>
                    )}
                    <button
                      type="button"
                      class="small"
                      onClick={() => setOpen({ dialog: 'rename', secret })}
                      aria-label={`Rename ${secret.name}`}
                    >
                      Rename
                    </button>
                    <button
                      type="button"
                      class="small"
                      onClick={() => void toggle(secret)}
                      aria-label={`${secret.enabled ? 'Disable' : 'Enable'} ${secret.name}`}
                    >
                      {secret.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button
                      type="button"
                      class="small danger"
                      onClick={() => setOpen({ dialog: 'delete', secret })}
                      aria-label={`Delete ${secret.name}`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {list && list.secrets.length > 0 && rows.length === 0 && <p class="empty">No secret matches.</p>}
      {open?.dialog === 'add' && <AddSecretDialog onClose={close} onDone={done} />}
      {open?.dialog === 'link' && <LinkDialog name={open.name} provider={open.provider} onClose={close} onDone={done} />}
      {open?.dialog === 'value' && <EditValueDialog secret={open.secret} onClose={close} onDone={done} />}
      {open?.dialog === 'rename' && <RenameDialog secret={open.secret} onClose={close} onDone={done} />}
      {open?.dialog === 'domains' && <DomainsDialog secret={open.secret} onClose={close} onDone={done} />}
      {open?.dialog === 'delete' && <DeleteDialog secret={open.secret} onClose={close} onDone={done} />}
    </section>
  );
}
