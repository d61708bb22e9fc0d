/** The dialogs that change one secret: add a local one, edit its value, rename, allowed domains, delete. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, secretPath } from '../api/client.js';
import type { SecretInfo } from '../api/types.js';
import { useAction } from '../components/Busy.js';
import { Dialog } from '../components/Dialog.js';
import { FormDialog } from '../components/FormDialog.js';
import { ErrorView } from '../errors/ErrorView.js';
import { FieldError, NameInput, ValueInput } from '../forms/fields.js';

interface DialogProps {
  onClose(): void;
  onDone(): void;
}

export function DomainsField({ id, value, onInput }: { id: string; value: string; onInput(value: string): void }): JSX.Element {
  return (
    <div class="field">
      <label for={id}>Allowed domains</label>
      <textarea
        id={id}
        rows={3}
        placeholder="api.example.com"
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-describedby={`${id}-help`}
      />
      <small id={`${id}-help`}>
        One per line: api.example.com, *.example.com, http://localhost. No scheme means https; any port. Empty: any host.
      </small>
    </div>
  );
}

export function AddSecretDialog({ onClose, onDone }: DialogProps): JSX.Element {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [domains, setDomains] = useState('');
  const add = async (): Promise<void> => {
    await api.post('/secrets', { name, value, allowedDomains: domains });
    onDone();
  };
  return (
    <FormDialog title="Add secret" submitLabel="Add" onClose={onClose} onSubmit={add} shownFields={['name']}>
      {(error) => (
        <>
          <div class="field">
            <label for="add-name">Name</label>
            <NameInput id="add-name" value={name} onInput={setName} />
            <small>Referenced as {`{{vault:${name || 'NAME'}}}`}.</small>
            <FieldError error={error} field="name" />
          </div>
          <div class="field">
            <label for="add-value">Value</label>
            <ValueInput id="add-value" value={value} onInput={setValue} />
            <small>Stored encrypted in the local vault; shown masked.</small>
          </div>
          <DomainsField id="add-domains" value={domains} onInput={setDomains} />
        </>
      )}
    </FormDialog>
  );
}

export function EditValueDialog({ secret, onClose, onDone }: DialogProps & { secret: SecretInfo }): JSX.Element {
  const [value, setValue] = useState('');
  const save = async (): Promise<void> => {
    await api.put(`${secretPath(secret.name)}/value`, { value });
    onDone();
  };
  return (
    <FormDialog title={`Edit ${secret.name}`} submitLabel="Save" onClose={onClose} onSubmit={save}>
      <div class="field">
        <label for="edit-value">New value</label>
        <ValueInput id="edit-value" autofocus value={value} onInput={setValue} />
      </div>
    </FormDialog>
  );
}

export function RenameDialog({ secret, onClose, onDone }: DialogProps & { secret: SecretInfo }): JSX.Element {
  const [to, setTo] = useState(secret.name);
  const rename = async (): Promise<void> => {
    await api.post(`${secretPath(secret.name)}/rename`, { to });
    onDone();
  };
  return (
    <FormDialog title={`Rename ${secret.name}`} submitLabel="Rename" onClose={onClose} onSubmit={rename}>
      <div class="field">
        <label for="rename-to">New name</label>
        <NameInput id="rename-to" value={to} onInput={setTo} />
        <small>References to {`{{vault:${secret.name}}}`} stop resolving.</small>
      </div>
    </FormDialog>
  );
}

export function DomainsDialog({ secret, onClose, onDone }: DialogProps & { secret: SecretInfo }): JSX.Element {
  const [domains, setDomains] = useState(secret.allowedDomains.join('\n'));
  const save = async (): Promise<void> => {
    await api.put(`${secretPath(secret.name)}/domains`, { allowedDomains: domains });
    onDone();
  };
  return (
    <FormDialog title={`Allowed domains of ${secret.name}`} submitLabel="Save" onClose={onClose} onSubmit={save}>
      <DomainsField id="edit-domains" value={domains} onInput={setDomains} />
    </FormDialog>
  );
}

export function DeleteDialog({ secret, onClose, onDone }: DialogProps & { secret: SecretInfo }): JSX.Element {
  const action = useAction();
  const remove = (): void =>
    void action.run(async () => {
      await api.delete(secretPath(secret.name));
      onDone();
    });
  return (
    <Dialog title={`Delete ${secret.name}?`} onClose={onClose}>
      <p>
        References to <code>{`{{vault:${secret.name}}}`}</code> stop resolving.{' '}
        {secret.kind === 'linked'
          ? 'Only the link is deleted; the secret in the external vault is not touched.'
          : 'The value is gone for good.'}
      </p>
      <ErrorView error={action.error} />
      <footer>
        <button type="button" onClick={onClose} autofocus>
          Cancel
        </button>
        <button type="button" class="danger" onClick={remove} disabled={action.busy}>
          Delete
        </button>
      </footer>
    </Dialog>
  );
}
