/** An error as the CLI shows it: `[CODE] message`, each bad field with the expected form, then the fix. */
import type { JSX } from 'preact';
import type { ErrorJson, FieldIssue } from '../api/types.js';
import { FixView } from './fix.js';

export function ErrorView({ error, shownFields = [] }: { error: ErrorJson | undefined; shownFields?: string[] }): JSX.Element | null {
  if (!error) return null;
  const [first] = error.message.split('\n');
  const issues = (error.issues ?? []).filter((issue) => !shownFields.includes(issueField(issue)));
  return (
    <div class="error" role="alert">
      <p>
        <span class="code">[{error.code}]</span> {first}
      </p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={issue.field}>
              <code>{issue.field}</code>: {issue.problem}; expected {issue.expected}
            </li>
          ))}
        </ul>
      )}
      <FixView fix={error.fix} />
    </div>
  );
}

/** The flag name an issue is about (`--role-arn`, `role-arn` and `roleArn` all name `role-arn`). */
export function issueField(issue: FieldIssue): string {
  return issue.field.replace(/^-+/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The issues of `error` about `field` (a flag name), for showing next to that field. */
export function issuesFor(error: ErrorJson | undefined, field: string): FieldIssue[] {
  return (error?.issues ?? []).filter((issue) => issueField(issue) === field);
}
