/**
 * Form fields generated from a provider's flag specs (`link`, `connect` or `setup`), so a
 * third-party provider gets a working form with no change here: text for `string`, a
 * password field for `secret`, a select for `choices`, a checkbox for `boolean`, one value
 * per line for `list`. Each field is labelled and described, and the errors the provider
 * reported about it (parseLink, connect validation) are shown right under it.
 */
import type { JSX } from 'preact';
import type { ErrorJson, FormFlag } from '../api/types.js';
import { issuesFor } from '../errors/ErrorView.js';
import { FieldError } from './fields.js';
import { flagLabel } from './labels.js';

export type FormValues = Record<string, string | boolean>;

interface Props {
  idPrefix: string;
  specs: FormFlag[];
  values: FormValues;
  onChange(values: FormValues): void;
  error?: ErrorJson | undefined;
}

export function FlagForm({ idPrefix, specs, values, onChange, error }: Props): JSX.Element {
  const set = (field: string, value: string | boolean): void => onChange({ ...values, [field]: value });
  return (
    <div class="flag-form">
      {specs.map((spec) => {
        const id = `${idPrefix}-${spec.name}`;
        const issues = issuesFor(error, spec.name);
        const help = `${spec.description}${spec.env ? `${/[.!?]$/.test(spec.description) ? '' : '.'} Empty: taken from ${spec.env} where vaultlink ui runs.` : ''}`;
        const describedBy = `${id}-help${issues.length ? ` ${id}-error` : ''}`;
        const common = { id, name: spec.field, 'aria-describedby': describedBy, 'aria-invalid': issues.length > 0 };
        let control: JSX.Element;
        if (spec.type === 'boolean') {
          control = (
            <input
              {...common}
              type="checkbox"
              checked={values[spec.field] === true}
              onChange={(e) => set(spec.field, e.currentTarget.checked)}
            />
          );
        } else if (spec.choices?.length) {
          control = (
            <select {...common} value={String(values[spec.field] ?? '')} onChange={(e) => set(spec.field, e.currentTarget.value)}>
              <option value="">(default)</option>
              {spec.choices.map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>
          );
        } else if (spec.type === 'list') {
          control = (
            <textarea
              {...common}
              rows={2}
              placeholder="one per line"
              value={String(values[spec.field] ?? '')}
              onInput={(e) => set(spec.field, e.currentTarget.value)}
            />
          );
        } else {
          control = (
            <input
              {...common}
              type={(spec.secret ? 'password' : 'text') as 'text'}
              autocomplete="off"
              spellcheck={false}
              placeholder={spec.placeholder ?? ''}
              value={String(values[spec.field] ?? '')}
              onInput={(e) => set(spec.field, e.currentTarget.value)}
            />
          );
        }
        return (
          <div class={`field${spec.type === 'boolean' ? ' field-check' : ''}${issues.length ? ' invalid' : ''}`} key={spec.name}>
            <label for={id}>{flagLabel(spec.name)}</label>
            {control}
            <small id={`${id}-help`}>{help}</small>
            <FieldError error={error} field={spec.name} id={`${id}-error`} />
          </div>
        );
      })}
    </div>
  );
}

/** The flag names of `specs`, for leaving their issues out of the general error box. */
export function specNames(specs: FormFlag[]): string[] {
  return specs.map((spec) => spec.name);
}
