/**
 * "Link vault secret": pick a provider, fill the form generated from its `link` flag specs,
 * and Use. The provider's parseLink errors come back as field issues and are shown next to
 * their fields. Opened on an existing secret, it relinks it (the old cached value is dropped).
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, secretPath } from '../api/client.js';
import { useAction } from '../components/Busy.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorView } from '../errors/ErrorView.js';
import { FieldError, NameInput } from '../forms/fields.js';
import { FlagForm, specNames, type FormValues } from '../forms/FlagForm.js';
import { DomainsField } from './SecretDialogs.js';
import { useCatalog } from './useCatalog.js';

interface Props {
  /** Relinking this secret; a new link when undefined. */
  name?: string | undefined;
  provider?: string | undefined;
  onClose(): void;
  onDone(): void;
}

export function LinkDialog({ name: existing, provider: initialProvider, onClose, onDone }: Props): JSX.Element {
  const { catalog, error: catalogError } = useCatalog();
  const [name, setName] = useState(existing ?? '');
  const [providerId, setProviderId] = useState(initialProvider ?? '');
  const [values, setValues] = useState<FormValues>({});
  const [domains, setDomains] = useState('');
  const [warnings, setWarnings] = useState<string[]>([]);
  const action = useAction();
  const installed = (catalog ?? []).flatMap((entry) => (entry.installed ? [entry] : []));
  const provider = installed.find((entry) => entry.id === providerId);
  const specs = provider?.flags.link ?? [];

  const submit = (event: Event): void => {
    event.preventDefault();
    void action.run(async () => {
      const result = await api.post<{ warnings: string[] }>(`${secretPath(name)}/link`, {
        provider: providerId,
        fields: values,
        ...(domains.trim() || !existing ? { allowedDomains: domains } : {}),
      });
      if (result.warnings.length) {
        setWarnings(result.warnings);
        return;
      }
      onDone();
    });
  };
  return (
    <Dialog title={existing ? `Link secret: ${existing}` : 'Link vault secret'} onClose={onClose} wide>
      <form onSubmit={submit}>
        {!existing && (
          <div class="field">
            <label for="link-name">Name</label>
            <NameInput id="link-name" value={name} onInput={setName} />
            <FieldError error={action.error} field="name" />
          </div>
        )}
        {!catalog && !catalogError && <p class="muted">Loading the providers…</p>}
        {catalog && (
          <div class="field">
            <label for="link-provider">External vault</label>
            <select
              id="link-provider"
              value={providerId}
              onChange={(e) => {
                setProviderId(e.currentTarget.value);
                setValues({});
                action.clear();
              }}
              required
            >
              <option value="" disabled>
                Choose a provider…
              </option>
              {(catalog ?? []).map((entry) => (
                <option key={entry.id} value={entry.id} disabled={!entry.installed}>
                  {entry.installed ? `${entry.displayName} (${entry.id})` : `${entry.id} (not installed)`}
                </option>
              ))}
            </select>
          </div>
        )}
        <ErrorView error={catalogError} />
        {provider && <FlagForm idPrefix={`link-${provider.id}`} specs={specs} values={values} onChange={setValues} error={action.error} />}
        {provider && <DomainsField id="link-domains" value={domains} onInput={setDomains} />}
        <ErrorView error={action.error} shownFields={[...specNames(specs), ...(existing ? [] : ['name'])]} />
        {warnings.length > 0 && (
          <div class="warning" role="status">
            <p>Linked, with warnings:</p>
            <ul>
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
            <button type="button" onClick={onDone}>
              OK
            </button>
          </div>
        )}
        <footer>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={action.busy || !provider || warnings.length > 0}>
            Use
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
