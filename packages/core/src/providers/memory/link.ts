/** Links of the in-memory provider: a document path, an optional JSON key and an optional version. */
import type { LinkSummary, ProviderFields } from '../../contract.js';
import { IssueList } from '../../errors.js';

export interface MemoryLink {
  path: string;
  key?: string;
  /** 1-based version; undefined reads the latest. */
  version?: string;
}

export const MEMORY_PATH_EXPECTED = 'a path of segments [A-Za-z0-9._-] separated by "/", e.g. demo/payments';
const PATH = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export function parseMemoryLink(fields: ProviderFields): MemoryLink {
  const issues = new IssueList();
  const path = fields['path'];
  if (typeof path !== 'string' || path.length === 0) issues.add('path', 'is missing', MEMORY_PATH_EXPECTED);
  else if (!PATH.test(path)) issues.add('path', 'has characters or slashes a path cannot have', MEMORY_PATH_EXPECTED);
  const key = fields['key'];
  if (key !== undefined && (typeof key !== 'string' || key.length === 0)) {
    issues.add('key', 'is empty or not text', 'a JSON key of the document, e.g. api_key');
  }
  const version = fields['version'];
  if (version !== undefined && (typeof version !== 'string' || !/^[1-9][0-9]*$/.test(version))) {
    issues.add('version', 'is not a positive whole number', 'a version number such as 1 or 2 (omit for the latest)');
  }
  for (const field of Object.keys(fields)) {
    if (!['path', 'key', 'version'].includes(field) && fields[field] !== undefined) {
      issues.add(field, 'is not a field of memory links', 'only path, key and version');
    }
  }
  issues.throwIfAny('INVALID_LINK', 'Invalid memory link.', { provider: 'memory' });
  const link: MemoryLink = { path: path as string };
  if (typeof key === 'string') link.key = key;
  if (typeof version === 'string') link.version = version;
  return link;
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
