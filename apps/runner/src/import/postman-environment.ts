/**
 * `vaultlink import postman-environment FILE`: moves the environment's `secret`-type
 * variables (or the ones named with `keys`) into the local vault and rewrites the file
 * with `{{vault:NAME}}` references.
 *
 * It never loses a value: everything is validated first; the vault is written first;
 * the file is replaced atomically only after every value is in the vault. If anything
 * fails in between, the file still holds the values, and running the import again
 * finishes the job (a secret already holding the same value is not a conflict).
 */
import { readFile } from 'node:fs/promises';
import {
  assertSafeOutputPath,
  IssueList,
  secretNameProblem,
  SECRET_NAME_EXPECTED,
  VaultError,
  writeFileAtomic,
  type VaultApi,
} from '@vault/core';

export interface ImportEnvironmentOptions {
  file: string;
  vault: VaultApi;
  /** Variables to move, by key. @default every variable of type `secret` */
  keys?: readonly string[];
  /** Prefix of the vault secret names: `--prefix staging_` turns `token` into `staging_token`. @default '' */
  prefix?: string;
  /** Replace a different existing local secret of the same name. @default false */
  overwrite?: boolean;
  /** Replaces the file write (tests inject failures). @default core's atomic write */
  writeFile?: (path: string, text: string) => Promise<void>;
  /** Environment naming VAULTLINK_HOME, where the rewritten file may not be. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ImportResult {
  file: string;
  moved: Array<{ key: string; name: string }>;
  skipped: Array<{ key: string; reason: string }>;
}

interface EnvironmentVariable {
  key?: unknown;
  value?: unknown;
  type?: unknown;
  [field: string]: unknown;
}

const ONLY_REFERENCE = /^\{\{vault:[^{}]+\}\}$/;

export async function importPostmanEnvironment(options: ImportEnvironmentOptions): Promise<ImportResult> {
  const { file, vault, prefix = '', keys } = options;
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new VaultError('INVALID_INPUT', `Cannot read ${file}.`, {
      issues: [
        { field: 'FILE', problem: `cannot be read (${error.code ?? error.message})`, expected: 'a readable Postman environment JSON file' },
      ],
    });
  });
  // Checked before anything is moved: the file is rewritten in place at the end.
  assertSafeOutputPath(file, 'FILE', { env: { ...(options.env ?? process.env) } });
  const environment = parseEnvironment(text, file);
  const variables = environment['values'] as EnvironmentVariable[];

  const issues = new IssueList();
  const selected = selectVariables(variables, keys, issues);
  const result: ImportResult = { file, moved: [], skipped: [] };
  const plan: Array<{ variable: EnvironmentVariable; key: string; name: string; value: string }> = [];
  for (const variable of selected) {
    const key = String(variable.key);
    const value = variable.value;
    if (typeof value !== 'string' || value.length === 0) {
      result.skipped.push({ key, reason: 'has no value' });
      continue;
    }
    if (ONLY_REFERENCE.test(value)) {
      result.skipped.push({ key, reason: 'is already a vault reference' });
      continue;
    }
    const name = `${prefix}${key}`;
    const problem = secretNameProblem(name);
    if (problem) issues.add(`${key}`, `gives the secret name "${name}", which is invalid: ${problem}`, SECRET_NAME_EXPECTED);
    else plan.push({ variable, key, name, value });
  }
  await checkConflicts(vault, plan, options.overwrite ?? false, issues);
  issues.throwIfAny('INVALID_INPUT', `Nothing was imported from ${file}.`);

  // 1. The vault. Each secret is written in full or not at all by core.
  const existing = new Map((await vault.list()).map((info) => [info.name, info]));
  for (const entry of plan) {
    await vault.setLocal(entry.name, entry.value, { allowedDomains: existing.get(entry.name)?.allowedDomains ?? [] });
  }
  // 2. The file, only once every value is safe in the vault.
  for (const entry of plan) entry.variable.value = `{{vault:${entry.name}}}`;
  if (plan.length > 0) {
    try {
      await (options.writeFile ?? writeText)(file, `${JSON.stringify(environment, null, indentationOf(text))}\n`);
    } catch (error) {
      throw new VaultError(
        'INTERNAL',
        `The secrets are in the vault, but ${file} could not be rewritten; it is unchanged and still holds the values.`,
        {
          fix: `fix the cause (${(error as NodeJS.ErrnoException).code ?? 'see above'}) and run the same import again`,
          details: { file, secrets: plan.map((entry) => entry.name) },
          cause: error,
        },
      );
    }
  }
  result.moved = plan.map(({ key, name }) => ({ key, name }));
  return result;
}

/** Core's crash-safe replacement (temp file, fsync, rename, directory fsync; mode 0600). */
function writeText(path: string, text: string): Promise<void> {
  return writeFileAtomic(path, Buffer.from(text, 'utf8'));
}

function parseEnvironment(text: string, file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || !Array.isArray((parsed as { values?: unknown }).values)) {
    throw new VaultError('INVALID_INPUT', `${file} is not a Postman environment.`, {
      issues: [
        {
          field: 'FILE',
          problem: 'is not JSON with a `values` array',
          expected: 'a Postman environment export (JSON with `values: [{ key, value, type }]`)',
        },
      ],
    });
  }
  return parsed as Record<string, unknown>;
}

function selectVariables(variables: EnvironmentVariable[], keys: readonly string[] | undefined, issues: IssueList): EnvironmentVariable[] {
  if (!keys) return variables.filter((variable) => variable.type === 'secret' && typeof variable.key === 'string');
  const selected: EnvironmentVariable[] = [];
  for (const key of keys) {
    const matches = variables.filter((variable) => variable.key === key);
    if (matches.length === 0)
      issues.add('--keys', `"${key}" is not a variable of the environment`, 'keys of variables in the file, separated by commas');
    selected.push(...matches);
  }
  return selected;
}

async function checkConflicts(
  vault: VaultApi,
  plan: Array<{ key: string; name: string; value: string }>,
  overwrite: boolean,
  issues: IssueList,
): Promise<void> {
  const planned = new Map<string, string>();
  for (const entry of plan) {
    const earlier = planned.get(entry.name);
    if (earlier !== undefined && earlier !== entry.value) {
      issues.add(
        entry.key,
        `another variable also becomes "${entry.name}" with a different value`,
        'distinct keys, or separate imports with --keys',
      );
    }
    planned.set(entry.name, entry.value);
    const current = await vault.entry(entry.name);
    if (!current) continue;
    if (current.secret.kind === 'linked') {
      issues.add(
        entry.key,
        `"${entry.name}" is linked to an external vault (${current.secret.provider}) and is never overwritten`,
        'another name (--prefix) or remove the link first',
      );
    } else if (current.secret.value !== entry.value && !overwrite) {
      issues.add(
        entry.key,
        `a local secret "${entry.name}" already exists with a different value`,
        '--overwrite to replace it, or another name (--prefix)',
      );
    }
  }
}

/** Keeps the file's indentation (Postman exports use tabs). */
function indentationOf(text: string): string | number {
  const match = /\n([\t ]+)\S/.exec(text);
  return match?.[1] ?? 2;
}
