/**
 * `vaultlink show`: what the linked secret is (engine, KV version, path, key, version) and
 * its KV v2 metadata (created time, versions). Never the value: the document is read, the
 * key checked, and only names and metadata leave this function.
 */
import { isVaultError, type CallOptions } from '@vault/core/provider';
import { readerFor, selectKey, type ReaderDeps } from './read.js';
import type { HashicorpLink } from './link.js';
import type { HashicorpSession } from './login.js';

export async function describeLink(
  deps: ReaderDeps,
  link: HashicorpLink,
  session: HashicorpSession,
  call: CallOptions,
): Promise<Record<string, unknown>> {
  const reader = await readerFor(deps, session, call);
  const doc = await reader.read(link, call);
  selectKey(link, doc); // KEY_NOT_FOUND (with the key names) if the key is gone; the value is dropped

  const result: Record<string, unknown> = {
    engine: doc.mount,
    kvVersion: doc.kvVersion,
    path: doc.path,
    key: link.key,
    keys: Object.keys(doc.data).sort(),
    ...(session.data.namespace ? { namespace: session.data.namespace } : {}),
  };
  if (doc.kvVersion === 1) return result;

  result['version'] = doc.metadata?.version;
  result['pinned'] = link.version !== undefined;
  if (doc.metadata?.createdTime) result['createdTime'] = doc.metadata.createdTime;
  if (doc.metadata?.customMetadata) result['customMetadata'] = doc.metadata.customMetadata;
  try {
    const meta = await reader.readV2Metadata(doc.mount, doc.path, call);
    for (const [from, to] of [
      ['current_version', 'currentVersion'],
      ['oldest_version', 'oldestVersion'],
      ['updated_time', 'updatedTime'],
      ['max_versions', 'maxVersions'],
    ] as const) {
      if (meta[from] !== undefined) result[to] = meta[from];
    }
  } catch (error) {
    // The read policy may grant <mount>/data/* but not <mount>/metadata/*: show what we have and say so.
    if (!isVaultError(error, 'ACCESS_DENIED')) throw error;
    result['metadata'] = `not readable: ${error.message.split('\n')[0]}`;
  }
  return result;
}
