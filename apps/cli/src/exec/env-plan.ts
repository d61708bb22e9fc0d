/**
 * What `vaultlink exec` puts into the child's environment: `--env VAR=SECRET` pairs, and
 * `--env-file` files in dotenv syntax (parsed by dotenv) whose values may hold
 * `{{vault:NAME}}` references; every other line passes through as dotenv reads it. Later
 * files win over earlier ones, and `--env` wins over files. Pure: no vault access here.
 */
import { readFile } from 'node:fs/promises';
import dotenv from 'dotenv';
import {
  IssueList,
  VaultError,
  isValidSecretName,
  referenceNames,
  replaceReferences,
  scanReferences,
  REFERENCE_EXPECTED,
  SECRET_NAME_EXPECTED,
  type FieldIssue,
} from '@vault/core';

/** Environment variable names we set: what POSIX shells and Windows accept alike. */
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIABLE_EXPECTED = 'letters, digits and _, not starting with a digit, e.g. API_KEY';

export interface EnvPlan {
  /** Variable → its text, with `{{vault:NAME}}` references still in it. */
  templates: Map<string, string>;
  /** Every secret name the templates reference, in first-seen order. */
  names: string[];
}

/** Reads the env files and `--env` pairs into one plan. Throws INVALID_INPUT / INVALID_REFERENCE naming each bad one. */
export async function envPlan(pairs: readonly string[], files: readonly string[]): Promise<EnvPlan> {
  const templates = new Map<string, string>();
  const issues = new IssueList();
  for (const file of files) {
    for (const [variable, text] of Object.entries(dotenv.parse(await readEnvFile(file)))) templates.set(variable, text);
  }
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const variable = at < 0 ? pair : pair.slice(0, at);
    const name = at < 0 ? '' : pair.slice(at + 1);
    if (!VARIABLE.test(variable))
      issues.add(
        `--env ${pair}`,
        `"${variable}" is not an environment variable name`,
        `VAR=SECRET_NAME with VAR made of ${VARIABLE_EXPECTED}`,
      );
    else if (!isValidSecretName(name))
      issues.add(
        `--env ${pair}`,
        at < 0 ? 'has no "=SECRET_NAME"' : `"${name}" is not a secret name`,
        `VAR=SECRET_NAME, the name being ${SECRET_NAME_EXPECTED}`,
      );
    else templates.set(variable, `{{vault:${name}}}`);
  }
  issues.throwIfAny('INVALID_INPUT', 'Invalid --env.', { fix: 'vaultlink exec --env API_KEY=stripe_key -- CMD ARGS' });
  const names: string[] = [];
  const problems: FieldIssue[] = [];
  for (const [variable, text] of templates) {
    const scan = scanReferences(text);
    for (const problem of scan.problems)
      problems.push({ field: `${variable} (column ${problem.column})`, problem: problem.problem, expected: REFERENCE_EXPECTED });
    for (const name of referenceNames(scan.references)) if (!names.includes(name)) names.push(name);
  }
  if (problems.length > 0) {
    throw new VaultError('INVALID_REFERENCE', 'Malformed vault references in the environment; the command was not started.', {
      issues: problems,
      fix: 'write each reference as {{vault:NAME}} with the name of a secret from `vaultlink list`',
    });
  }
  return { templates, names };
}

/** The child's variables with every reference filled in (`value(name)` is only asked for resolved names). */
export function fillEnv(plan: EnvPlan, value: (name: string) => string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [variable, text] of plan.templates) env[variable] = replaceReferences(text, (reference) => value(reference.name));
  return env;
}

async function readEnvFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new VaultError('INVALID_INPUT', `Cannot read the env file ${file} (${code}).`, {
      issues: [
        {
          field: '--env-file',
          problem: code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code})`,
          expected: 'a file of VAR=value lines, values may hold {{vault:NAME}}',
        },
      ],
      cause: error,
    });
  }
}
