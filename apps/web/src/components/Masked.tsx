/**
 * A secret value, masked until the person asks to see it. The value is fetched only then
 * (`reveal`) and lives only in this component's state: hiding it or leaving the screen drops it.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, secretPath } from '../api/client.js';
import { ErrorView } from '../errors/ErrorView.js';
import { useAction } from './Busy.js';

export const MASK = '••••••••';

export function Masked({ name }: { name: string }): JSX.Element {
  const [value, setValue] = useState<string | undefined>(undefined);
  const action = useAction();
  const reveal = (): void =>
    void action.run(async () => {
      setValue((await api.post<{ value: string }>(`${secretPath(name)}/reveal`)).value);
    });
  return (
    <span class="masked">
      {value === undefined ? (
        <>
          <span class="mask" aria-label={`value of ${name}, hidden`}>
            {MASK}
          </span>
          <button type="button" class="small" onClick={reveal} disabled={action.busy} aria-label={`Reveal the value of ${name}`}>
            Reveal
          </button>
        </>
      ) : (
        <>
          <code class="revealed" data-testid={`revealed-${name}`}>
            {value}
          </code>
          <button type="button" class="small" onClick={() => setValue(undefined)} aria-label={`Hide the value of ${name}`}>
            Hide
          </button>
        </>
      )}
      <ErrorView error={action.error} />
    </span>
  );
}
