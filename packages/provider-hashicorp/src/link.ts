/**
 * A link to one key of one KV secret: mount + path + key (+ pinned KV v2 version).
 * Parsing is pure: no network. Every bad field is reported at once.
 */
import type { FieldReader, LinkSummary } from '@vault/core/provider';
import type { LINK_FLAGS } from './options.js';

export interface HashicorpLink {
  /** Mount path of the KV engine, without slashes at either end: `secret`, `team/kv`. */
  engine: string;
  /** Secret path inside the engine, without slashes at either end: `app/db`. */
  path: string;
  key: string;
  /** Pinned KV v2 version; absent = latest. */
  version?: number;
  /** KV version given by the user, used instead of detection. */
  kvVersion?: 1 | 2;
}

/** Mounts that are never KV engines: linking into them is a typo or a misunderstanding. */
const SYSTEM_MOUNTS = new Set(['sys', 'auth', 'identity']);
// eslint-disable-next-line no-control-regex -- control characters are among what a segment must not contain
const SEGMENT_FORBIDDEN = /[?#%\\\u0000-\u001f\u007f]/;

/** Strips slashes at both ends and checks the segments; returns the problem or undefined. */
function checkPath(value: string): string | undefined {
  const segments = value.split('/');
  if (segments.some((s) => s === '')) return 'has an empty segment (double slash)';
  if (segments.some((s) => s === '.' || s === '..')) return 'contains a "." or ".." segment';
  if (SEGMENT_FORBIDDEN.test(value)) return 'contains ?, #, %, a backslash or a control character';
  return undefined;
}

const trimSlashes = (value: string): string => value.replace(/^\/+|\/+$/g, '');

export function parseLink(fields: FieldReader<(typeof LINK_FLAGS)[number]['name']>): HashicorpLink {
  // Issues come in flag order: engine, path, key, version.
  const issues = fields.issues;
  const rawEngine = fields.required('engine', 'the mount path of a KV secrets engine, e.g. --engine secret');

  let engine: string | undefined;
  if (rawEngine !== undefined) {
    engine = trimSlashes(rawEngine);
    const problem = engine === '' ? 'is only slashes' : checkPath(engine);
    if (problem) issues.add('engine', problem, 'a mount path such as secret or team/kv');
    else if (SYSTEM_MOUNTS.has(engine.split('/')[0]!)) {
      issues.add('engine', `"${engine}" is a system path, not a secrets engine`, 'the mount path of a KV secrets engine, e.g. secret');
    }
  }

  const rawPath = fields.required('path', "the secret's path inside the engine, e.g. --path team/api");
  let path: string | undefined;
  if (rawPath !== undefined) {
    path = trimSlashes(rawPath);
    const problem = path === '' ? 'is only slashes' : checkPath(path);
    if (problem) issues.add('path', problem, 'a secret path such as team/api');
  }

  const key = fields.required('key', 'the key name inside the secret, e.g. --key password');
  const rawVersion = fields.text('version');
  const rawKv = fields.text('kv-version');
  // `choices` ('1' or '2') were checked by the reader.
  const kvVersion = rawKv === undefined ? undefined : (Number(rawKv) as 1 | 2);

  let version: number | undefined;
  if (rawVersion !== undefined) {
    if (!/^[1-9][0-9]{0,9}$/.test(rawVersion))
      issues.add('version', `"${rawVersion}" is not a version number`, 'a positive whole number, e.g. --version 3');
    else if (kvVersion === 1) issues.add('version', 'KV v1 keeps no versions', 'no --version with --kv-version 1, or a KV v2 engine');
    else version = Number(rawVersion);
  }

  return {
    engine: engine!,
    path: path!,
    key: key!,
    ...(version !== undefined ? { version } : {}),
    ...(kvVersion !== undefined ? { kvVersion } : {}),
  };
}

export function linkWarnings(link: HashicorpLink): string[] {
  const warnings: string[] = [];
  if (/^(data|metadata)\//.test(link.path)) {
    warnings.push(
      `The path "${link.path}" starts with "${link.path.split('/')[0]}/". For KV v2, give the secret's path without it ` +
        `(vaultlink adds the API prefix itself): --path ${link.path.slice(link.path.indexOf('/') + 1)}`,
    );
  }
  return warnings;
}

/**
 * Links with the same key are served by one read. The namespace is not part of it: a
 * provider has one session, so one namespace, at a time.
 */
export function documentKey(link: HashicorpLink): string {
  return `${link.engine}/${link.path}@${link.version ?? 'latest'}`;
}

export function identifier(link: HashicorpLink): string {
  return `${link.engine}/${link.path}#${link.key}`;
}

export function summarize(link: HashicorpLink): LinkSummary {
  return {
    identifier: identifier(link),
    ...(link.version !== undefined ? { version: String(link.version) } : {}),
    extra: {
      engine: link.engine,
      path: link.path,
      key: link.key,
      ...(link.kvVersion !== undefined ? { kvVersion: String(link.kvVersion) } : {}),
    },
  };
}
