/**
 * Integrations: every provider the agent can load, with its state (connected organization
 * and principal, session expiry, admin-managed or not) and its actions: Connect, Set Up
 * Integration (admin-managed), Re-Authenticate Vault and Disconnect.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { InstalledProvider, IntegrationInfo } from '../api/types.js';
import { useApiGet } from '../api/useApiGet.js';
import { ErrorView } from '../errors/ErrorView.js';
import { go } from '../route.js';
import { SignInDialog, type SignInAction } from './SignInDialog.js';
import { useCatalog } from './useCatalog.js';

function stateOf(provider: InstalledProvider, integration: IntegrationInfo | undefined): string {
  if (integration) return integration.expired ? 'Session expired' : 'Connected';
  if (provider.capabilities.adminManagedSetup && provider.teamConfigured === false) return 'Not set up';
  return 'Not connected';
}

export function IntegrationsScreen({ focus, action }: { focus?: string | undefined; action?: string | undefined }): JSX.Element {
  const { catalog, error: catalogError, reload } = useCatalog();
  const { data: integrations = [], error, reload: load } = useApiGet<IntegrationInfo[]>('/integrations');
  const [open, setOpen] = useState<{ provider: InstalledProvider; action: SignInAction } | undefined>(undefined);
  // `#/integrations/PROVIDER/ACTION` (a fix button) opens that dialog.
  useEffect(() => {
    const provider = catalog?.find((entry): entry is InstalledProvider => entry.installed && entry.id === focus);
    if (provider && (action === 'connect' || action === 'reauth')) setOpen({ provider, action });
  }, [catalog, focus, action]);

  const close = (): void => {
    setOpen(undefined);
    if (focus) go('#/integrations');
  };
  const done = (): void => {
    close();
    void load();
    void reload();
  };
  return (
    <section aria-labelledby="integrations-title">
      <h2 id="integrations-title">Integrations</h2>
      <ErrorView error={error ?? catalogError} />
      <div class="cards">
        {(catalog ?? []).map((entry) => {
          if (!entry.installed) {
            return (
              <article class="card muted" key={entry.id} aria-label={entry.id}>
                <h3>{entry.id}</h3>
                <p>Not installed.</p>
                <ErrorView error={entry.error} />
              </article>
            );
          }
          const integration = integrations.find((i) => i.provider === entry.id);
          const state = stateOf(entry, integration);
          const openAction = (next: SignInAction): void => setOpen({ provider: entry, action: next });
          return (
            <article class="card" key={entry.id} aria-labelledby={`integration-${entry.id}`} data-provider={entry.id}>
              <h3 id={`integration-${entry.id}`}>
                {entry.displayName} <span class="muted">({entry.id})</span>
              </h3>
              <p>
                <span class={`state state-${state.replace(/\s+/g, '-').toLowerCase()}`}>{state}</span>{' '}
                <span class="muted">{entry.capabilities.adminManagedSetup ? 'Admin-managed (team settings)' : 'Personal integration'}</span>
              </p>
              {integration && (
                <dl class="details">
                  <dt>Organization</dt>
                  <dd>{integration.organization}</dd>
                  <dt>Signed in as</dt>
                  <dd>{integration.principal}</dd>
                  <dt>Session expires</dt>
                  <dd>{integration.expiresAt ?? 'never (does not expire by itself)'}</dd>
                  <dt>Linked secrets</dt>
                  <dd>{integration.linkedSecrets}</dd>
                </dl>
              )}
              <div class="actions">
                {!integration && entry.capabilities.adminManagedSetup && (
                  <button type="button" onClick={() => openAction('setup')}>
                    Set Up Integration
                  </button>
                )}
                {!integration && (
                  <button type="button" class="primary" onClick={() => openAction('connect')}>
                    Connect
                  </button>
                )}
                {integration && (
                  <button type="button" class="primary" onClick={() => openAction('reauth')}>
                    Re-Authenticate Vault
                  </button>
                )}
                {(integration || (entry.capabilities.adminManagedSetup && entry.teamConfigured)) && (
                  <button type="button" class="danger" onClick={() => openAction('disconnect')}>
                    Disconnect
                  </button>
                )}
              </div>
            </article>
          );
        })}
      </div>
      {open && (
        <SignInDialog
          provider={open.provider}
          action={open.action}
          integration={integrations.find((i) => i.provider === open.provider.id)}
          onClose={close}
          onDone={done}
        />
      )}
    </section>
  );
}
