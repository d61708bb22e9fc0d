/**
 * The inputs and error line the secret dialogs share, so a secret's name or value behaves the
 * same in each dialog (no autofill or spellcheck on names, values never shown while typed).
 */
import type { JSX } from 'preact';
import type { ErrorJson } from '../api/types.js';
import { issuesFor } from '../errors/ErrorView.js';

/** The issues `error` reports about `field`, shown under that field; nothing when there are none. */
export function FieldError({ error, field, id }: { error: ErrorJson | undefined; field: string; id?: string }): JSX.Element | null {
  const issues = issuesFor(error, field);
  if (issues.length === 0) return null;
  return (
    <p class="field-error" id={id}>
      {issues.map((issue) => `${issue.problem}; expected ${issue.expected}`).join(' · ')}
    </p>
  );
}

interface InputProps {
  id: string;
  value: string;
  onInput(value: string): void;
}

/** A secret's name: the dialog's first field, so it takes the focus. */
export function NameInput({ id, value, onInput }: InputProps): JSX.Element {
  return (
    <input id={id} autofocus autocomplete="off" spellcheck={false} value={value} onInput={(e) => onInput(e.currentTarget.value)} required />
  );
}

/** A local secret's value, typed hidden. */
export function ValueInput({ id, value, onInput, autofocus = false }: InputProps & { autofocus?: boolean }): JSX.Element {
  return (
    <input
      id={id}
      autofocus={autofocus}
      type="password"
      autocomplete="off"
      value={value}
      onInput={(e) => onInput(e.currentTarget.value)}
      required
    />
  );
}
