/**
 * newman reports a run that cannot start with a plain Error whose message names what it
 * could not load ("collection could not be loaded", "could not load environment", ...).
 * This turns it into INVALID_INPUT with the option at fault, so the CLI and programmatic
 * callers get one error type.
 */
import { VaultError, type FieldIssue } from '@vault/core';

const SOURCES: Array<{ pattern: RegExp; field: string; expected: string }> = [
  { pattern: /collection/i, field: 'collection', expected: 'a path or URL of a Postman collection v2.1 JSON file' },
  { pattern: /environment/i, field: 'environment', expected: 'a path or URL of a Postman environment JSON file' },
  { pattern: /globals/i, field: 'globals', expected: 'a path or URL of a Postman globals JSON file' },
  { pattern: /iteration data/i, field: 'iteration-data', expected: 'a path of a JSON array or a CSV file with a header row' },
];

export function newmanLoadError(message: string): VaultError {
  const source = SOURCES.find((candidate) => candidate.pattern.test(message));
  const issues: FieldIssue[] = [
    {
      field: source?.field ?? 'run options',
      problem: message
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .join(': '),
      expected: source?.expected ?? 'options newman accepts',
    },
  ];
  return new VaultError('INVALID_INPUT', 'newman could not start the run.', {
    issues,
    fix: `check the ${issues[0]!.field === 'run options' ? 'run options' : `--${issues[0]!.field} path or URL`} and run again`,
  });
}
