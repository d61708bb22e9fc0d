/**
 * The documents an in-memory provider serves, and where they come from: options, a seed
 * file named by VAULTLINK_MEMORY_PROVIDER_FILE (so separate CLI processes in tests see the
 * same data), or the built-in demo dataset. All of it is test and demo data.
 */
import { readFileSync } from 'node:fs';
import { IssueList, VaultError } from '../../errors.js';

export type MemoryValue = string | Record<string, unknown>;

export interface MemoryDocument {
  /** Versions, oldest first; version N is `versions[N - 1]`; the last is the latest. */
  versions: MemoryValue[];
  /** Principals (session.principal) that get ACCESS_DENIED on this document. `*` denies everyone. */
  deniedPrincipals?: string[];
}

/** Shorthand: a bare value or object is a document with one version. */
export type MemoryDocumentInput = MemoryDocument | MemoryValue;

export const MEMORY_PROVIDER_FILE_ENV = 'VAULTLINK_MEMORY_PROVIDER_FILE';

/** Fake values for the demo; they only exist so `vaultlink` can show a link resolving. */
export function demoDocuments(): Record<string, MemoryDocument> {
  return {
    'demo/payments': {
      versions: [
        { api_key: 'demo-pay-key-v1-0000', webhook_secret: 'demo-whsec-v1-0000' },
        { api_key: 'demo-pay-key-5f1c9a27', webhook_secret: 'demo-whsec-81d0e4b6' },
      ],
    },
    'demo/search-token': { versions: ['demo-search-token-3e7a'] },
  };
}

export function normalizeDocuments(input: Record<string, MemoryDocumentInput>, source: string): Map<string, MemoryDocument> {
  const issues = new IssueList();
  const documents = new Map<string, MemoryDocument>();
  for (const [path, raw] of Object.entries(input)) {
    const doc = isDocument(raw) ? raw : { versions: [raw as MemoryValue] };
    if (!Array.isArray(doc.versions) || doc.versions.length === 0) {
      issues.add(`documents.${path}.versions`, 'is empty or not a list', 'a non-empty list of strings or objects');
      continue;
    }
    doc.versions.forEach((v, i) => {
      if (typeof v !== 'string' && !isPlainObject(v))
        issues.add(`documents.${path}.versions[${i}]`, 'is not a string or object', 'a string or a JSON object');
    });
    if (doc.deniedPrincipals !== undefined && !Array.isArray(doc.deniedPrincipals)) {
      issues.add(`documents.${path}.deniedPrincipals`, 'is not a list', 'a list of principal names');
    }
    documents.set(path, { versions: [...doc.versions], ...(doc.deniedPrincipals ? { deniedPrincipals: [...doc.deniedPrincipals] } : {}) });
  }
  issues.throwIfAny('INVALID_CONFIG', `The memory provider documents in ${source} are malformed.`, { provider: 'memory' });
  return documents;
}

/** Reads `{ "documents": { ... } }` (or a bare documents map) from a seed file. */
export function readSeedFile(path: string): Record<string, MemoryDocumentInput> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new VaultError('INVALID_CONFIG', `Cannot read the memory provider seed file ${path}.`, {
      issues: [
        {
          field: MEMORY_PROVIDER_FILE_ENV,
          problem: describeReadError(error),
          expected: 'a readable JSON file { "documents": { "path": ... } }',
        },
      ],
      provider: 'memory',
      details: { path },
      cause: error,
    });
  }
  const documents = isPlainObject(parsed) && isPlainObject(parsed['documents']) ? parsed['documents'] : parsed;
  if (!isPlainObject(documents)) {
    throw new VaultError('INVALID_CONFIG', `The memory provider seed file ${path} is malformed.`, {
      issues: [{ field: 'documents', problem: 'is not an object', expected: 'an object keyed by document path' }],
      provider: 'memory',
      details: { path },
    });
  }
  return documents as Record<string, MemoryDocumentInput>;
}

// JSON.parse messages quote the text around the error; the file holds values, so say less.
function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `cannot be read (${code})` : 'is not valid JSON';
}

function isDocument(value: unknown): value is MemoryDocument {
  return isPlainObject(value) && Array.isArray(value['versions']);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
