/** Links of the in-memory provider: a document path, an optional JSON key and an optional version. */
import type { FlagSpec, LinkSummary } from '../../contract.js';
import type { FieldReader } from '../../sdk/fields.js';
import { JSON_POINTER_FLAG } from '../../engine/json-pointer.js';

export interface MemoryLink {
  path: string;
  key?: string;
  /** 1-based version; undefined reads the latest. */
  version?: string;
}

export const MEMORY_PATH_EXPECTED = 'a path of segments [A-Za-z0-9._-] separated by "/", e.g. demo/payments';
const PATH = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export const MEMORY_LINK_FLAGS = [
  { name: 'path', description: 'Document path, e.g. demo/payments', type: 'string', placeholder: 'PATH' },
  { name: 'key', description: 'JSON key inside the document, e.g. api_key', type: 'string', placeholder: 'KEY' },
  { name: 'version', description: 'Pinned version number (default: latest)', type: 'string', placeholder: 'N' },
  JSON_POINTER_FLAG,
] as const satisfies readonly FlagSpec[];

export function parseMemoryLink(fields: FieldReader<'path' | 'key' | 'version'>): MemoryLink {
  const path = fields.required('path', MEMORY_PATH_EXPECTED);
  if (path !== undefined && !PATH.test(path)) fields.issue('path', 'has characters or slashes a path cannot have', MEMORY_PATH_EXPECTED);
  const key = fields.text('key');
  const version = fields.text('version');
  if (version !== undefined && !/^[1-9][0-9]*$/.test(version))
    fields.issue('version', 'is not a positive whole number', 'a version number such as 1 or 2 (omit for the latest)');
  return { path: path!, ...(key !== undefined ? { key } : {}), ...(version !== undefined ? { version } : {}) };
}

export function memoryDocumentKey(link: MemoryLink): string {
  return `${link.path}@${link.version ?? 'latest'}`;
}

export function summarizeMemoryLink(link: MemoryLink): LinkSummary {
  const summary: LinkSummary = { identifier: link.key ? `${link.path}#${link.key}` : link.path };
  if (link.version) summary.version = link.version;
  if (link.key) summary.extra = { key: link.key };
  return summary;
}
