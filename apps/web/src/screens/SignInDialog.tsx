/**
 * Connect, Re-Authenticate, Set Up and Disconnect for one provider: a form generated from
 * the provider's flag specs (`connect`; `setup`; setup + connect for disconnect, as the CLI
 * takes them), then the operation followed live until it finishes.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { ErrorJson, InstalledProvider, IntegrationInfo, OperationView } from '../api/types.js';
import { useAction } from '../components/Busy.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorView } from '../errors/ErrorView.js';
import { FlagForm, specNames, type FormValues } from '../forms/FlagForm.js';
import { OperationPanel } from './Operation.js';

export type SignInAction = 'connect' | 'reauth' | 'setup' | 'disconnect';

interface Props {
  provider: InstalledProvider;
  action: SignInAction;
  integration?: IntegrationInfo | undefined;
  onClose(): void;
  onDone(): void;
}

const TITLES: Record<SignInAction, (name: string) => string> = {
  connect: (name) => `Connect ${name}`,
  reauth: (name) => `Re-Authenticate ${name}`,
  setup: (name) => `Set up ${name} integration`,
  disconnect: (name) => `Disconnect ${name}?`,
};

const SUBMIT: Record<SignInAction, (name: string) => string> = {
  connect: () => 'Connect',
  reauth: () => 'Re-Authenticate Vault',
  setup: (name) => `Set Up ${name}`,
  disconnect: () => 'Disconnect',
};

function specsFor(provider: InstalledProvider, action: SignInAction): InstalledProvider['flags']['connect'] {
  return action === 'reauth' ? provider.flags.connect : provider.flags[action];
}

export function SignInDialog({ provider, action, integration, onClose, onDone }: Props): JSX.Element {
  const [values, setValues] = useState<FormValues>({});
  const [operation, setOperation] = useState<OperationView | undefined>(undefined);
  const [failure, setFailure] = useState<ErrorJson | undefined>(undefined);
  const [finished, setFinished] = useState<string | undefined>(undefined);
  const start = useAction();
  const specs = specsFor(provider, action);
  const submit = (event: Event): void => {
    event.preventDefault();
    setFailure(undefined);
    void start.run(async () =>
      setOperation(await api.post<OperationView>(`/integrations/${encodeURIComponent(provider.id)}/${action}`, { fields: values })),
    );
  };
  const done = (result: unknown): void => {
    setOperation(undefined);
    if (action === 'setup' && result === null) {
      setFinished('Nothing was written: the commands to run are listed above.');
      return;
    }
    onDone();
  };
  const error = failure ?? start.error;
  // Disconnecting an admin-managed integration needs the admin's credentials (the setup's secret
  // flags): those are shown; every other option waits under "More options".
  const upFront =
    action !== 'disconnect'
      ? specs
      : provider.capabilities.adminManagedSetup
        ? specs.filter((s) => s.secret && provider.flags.setup.some((x) => x.name === s.name))
        : [];
  const later = specs.filter((s) => !upFront.includes(s));
  const form = (list: typeof specs): JSX.Element => (
    <FlagForm idPrefix={`${action}-${provider.id}`} specs={list} values={values} onChange={setValues} error={error} />
  );
  return (
    <Dialog title={TITLES[action](provider.displayName)} onClose={onClose} wide>
      <form onSubmit={submit}>
        {action === 'disconnect' && (
          <p class="warning">
            {integration && integration.linkedSecrets > 0
              ? `${integration.linkedSecrets} linked secret(s) keep their links, but references to them become unresolved (disconnected) until you connect again.`
              : 'References to secrets linked to this vault become unresolved (disconnected) until you connect again.'}
            {provider.capabilities.adminManagedSetup
              ? ' This integration is admin-managed: disconnecting it removes the team settings and needs admin rights.'
              : ''}
          </p>
        )}
        {action === 'reauth' && <p>Sign in again with the options given at connect; fill in only what changes.</p>}
        {upFront.length > 0 && form(upFront)}
        {later.length > 0 && (
          <details>
            <summary>More options</summary>
            {form(later)}
          </details>
        )}
        {operation && <OperationPanel operation={operation} onDone={done} onError={(e) => (setOperation(undefined), setFailure(e))} />}
        <ErrorView error={error} shownFields={specNames(specs)} />
        {finished && <p role="status">{finished}</p>}
        <footer>
          <button
            type="button"
            onClick={() => (operation ? void api.post(`/operations/${operation.id}/cancel`).finally(onClose) : onClose())}
          >
            {operation ? 'Cancel sign-in' : 'Cancel'}
          </button>
          <button type="submit" class={action === 'disconnect' ? 'danger' : 'primary'} disabled={start.busy || operation !== undefined}>
            {SUBMIT[action](provider.displayName)}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
