/**
 * The team config: settings of admin-managed integrations, shared by a workspace so all
 * members authenticate against the same organization. It lives in `.vaultlink/team.json`
 * (found in the working directory or a parent) or at VAULTLINK_TEAM_CONFIG. Only
 * `vaultlink setup` (and an admin's disconnect) write it; it holds no secrets.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { TeamSettings } from './contract.js';
import { IssueList, VaultError } from './errors.js';
import { isFile, writeWorkspaceFile } from './workspace-file.js';

export const TEAM_CONFIG_VERSION = 1 as const;
export const TEAM_CONFIG_DIR = '.vaultlink';
export const TEAM_CONFIG_FILE = 'team.json';
export const TEAM_CONFIG_ENV = 'VAULTLINK_TEAM_CONFIG';

export interface TeamConfig {
  version: typeof TEAM_CONFIG_VERSION;
  integrations: Record<string, TeamSettings>;
}

export interface TeamConfigLocation {
  /** Where to start looking. Default: process.cwd(). */
  cwd?: string;
  /** Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedTeamConfig {
  path: string;
  config: TeamConfig;
}

/** The existing team config file, or undefined when there is none. */
export async function findTeamConfigPath(location: TeamConfigLocation = {}): Promise<string | undefined> {
  const env = location.env ?? process.env;
  const explicit = env[TEAM_CONFIG_ENV];
  if (explicit) {
    const path = resolve(location.cwd ?? process.cwd(), explicit);
    return (await isFile(path)) ? path : undefined;
  }
  for (let dir = resolve(location.cwd ?? process.cwd()); ; dir = dirname(dir)) {
    const candidate = join(dir, TEAM_CONFIG_DIR, TEAM_CONFIG_FILE);
    if (await isFile(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Where `setup` writes: VAULTLINK_TEAM_CONFIG, else the file found upward, else `<cwd>/.vaultlink/team.json`. */
export async function teamConfigWritePath(location: TeamConfigLocation = {}): Promise<string> {
  const env = location.env ?? process.env;
  const cwd = location.cwd ?? process.cwd();
  if (env[TEAM_CONFIG_ENV]) return resolve(cwd, env[TEAM_CONFIG_ENV]!);
  return (await findTeamConfigPath(location)) ?? join(resolve(cwd), TEAM_CONFIG_DIR, TEAM_CONFIG_FILE);
}

export async function readTeamConfig(location: TeamConfigLocation = {}): Promise<LoadedTeamConfig | undefined> {
  const path = await findTeamConfigPath(location);
  if (!path) return undefined;
  return { path, config: await readTeamConfigFile(path) };
}

/** Reads and validates one file. Throws INVALID_CONFIG naming the file and every bad field. */
export async function readTeamConfigFile(path: string): Promise<TeamConfig> {
  const text = await readFile(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new VaultError('INVALID_CONFIG', `The team config ${path} is not valid JSON.`, {
      issues: [{ field: '(file)', problem: 'is not valid JSON', expected: 'a JSON object { "version": 1, "integrations": { ... } }' }],
      fix: `fix the JSON in ${path}, or ask an admin to run \`vaultlink setup <provider>\` again`,
      details: { path },
      cause: error,
    });
  }
  return validateTeamConfig(parsed, path);
}

export function validateTeamConfig(value: unknown, path: string): TeamConfig {
  const issues = new IssueList();
  if (!isObject(value)) {
    issues.add('(root)', 'is not an object', 'a JSON object { "version": 1, "integrations": { ... } }');
  } else {
    if (value['version'] !== TEAM_CONFIG_VERSION) issues.add('version', `is ${JSON.stringify(value['version'])}`, '1');
    const integrations = value['integrations'];
    if (!isObject(integrations)) issues.add('integrations', 'is missing or not an object', 'an object keyed by provider id');
    else {
      for (const [id, settings] of Object.entries(integrations)) {
        if (!isObject(settings)) issues.add(`integrations.${id}`, 'is not an object', 'the settings object written by `vaultlink setup`');
      }
    }
  }
  issues.throwIfAny('INVALID_CONFIG', `The team config ${path} is malformed.`, {
    fix: `correct ${path}, or ask an admin to run \`vaultlink setup <provider>\` again`,
    details: { path },
  });
  return value as TeamConfig;
}

/** Atomic write: temp file in the same directory, fsync, rename. */
export async function writeTeamConfigFile(path: string, config: TeamConfig): Promise<void> {
  validateTeamConfig(config, path);
  await writeWorkspaceFile(path, `${JSON.stringify(config, null, 2)}\n`);
}

export function emptyTeamConfig(): TeamConfig {
  return { version: TEAM_CONFIG_VERSION, integrations: {} };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
