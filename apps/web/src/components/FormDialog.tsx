/** A dialog holding one form: its fields, the error of the last try, Cancel and the submit button. */
import type { ComponentChildren, JSX } from 'preact';
import type { ErrorJson } from '../api/types.js';
import { ErrorView } from '../errors/ErrorView.js';
import { useAction } from './Busy.js';
import { Dialog } from './Dialog.js';

interface Props {
  title: string;
  submitLabel: string;
  onClose(): void;
  /** The work of the submit button; the dialog shows its error, if any. */
  onSubmit(): Promise<void>;
  /** Fields whose issues the children show next to them. */
  shownFields?: string[];
  children: ComponentChildren | ((error: ErrorJson | undefined) => ComponentChildren);
}

export function FormDialog({ title, submitLabel, onClose, onSubmit, shownFields, children }: Props): JSX.Element {
  const action = useAction();
  const submit = (event: Event): void => {
    event.preventDefault();
    void action.run(onSubmit);
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={submit}>
        {typeof children === 'function' ? children(action.error) : children}
        <ErrorView error={action.error} {...(shownFields ? { shownFields } : {})} />
        <footer>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={action.busy}>
            {submitLabel}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
