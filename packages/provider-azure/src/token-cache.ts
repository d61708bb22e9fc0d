/**
 * MSAL token caches that live only in memory and in the session data, which core stores
 * encrypted. @azure/identity's own persistence writes to OS keychains or, with
 * `unsafeAllowUnencryptedStorage`, to plain files; we register a persistence provider of our
 * own so neither happens, and a new process can still renew silently from the session.
 */
import { randomUUID } from 'node:crypto';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { loadIdentity } from './sdk.js';

export class SessionTokenCache {
  /** Name passed to identity's `tokenCachePersistenceOptions`, to find this cache again. */
  readonly name = `vaultlink-${randomUUID()}`;
  private serialized: string | undefined;

  /** `initial`: an MSAL cache serialization from the session data. */
  constructor(initial?: string) {
    this.serialized = initial;
  }

  /**
   * An MSAL cache plugin over this cache. identity builds a CAE and a non-CAE app per credential
   * and (4.13) hands both the same persistence name, so both share this one cache.
   */
  readonly plugin: ICachePlugin = {
    beforeCacheAccess: async (context: TokenCacheContext) => {
      if (this.serialized !== undefined) context.tokenCache.deserialize(this.serialized);
    },
    afterCacheAccess: async (context: TokenCacheContext) => {
      if (context.cacheHasChanged) this.serialized = context.tokenCache.serialize();
    },
  };

  /** Current contents (access, refresh and ID tokens), for the session data. */
  snapshot(): string | undefined {
    return this.serialized;
  }
}

const caches = new Map<string, WeakRef<SessionTokenCache>>();
let registered = false;

interface PluginContext {
  cachePluginControl: { setPersistence(factory: (options?: { name?: string }) => Promise<ICachePlugin>): void };
}

/**
 * Registers our persistence provider with @azure/identity (once per process) and returns the
 * `tokenCachePersistenceOptions` that route a credential's cache to `cache`.
 */
export async function persistenceOptions(cache: SessionTokenCache): Promise<{ enabled: true; name: string }> {
  if (!registered) {
    const { useIdentityPlugin } = await loadIdentity();
    // identity types the plugin context as unknown; plugin packages cast it to this shape.
    useIdentityPlugin((context) => {
      (context as PluginContext).cachePluginControl.setPersistence(async (options) => pluginFor(options?.name));
    });
    registered = true;
  }
  for (const [name, ref] of caches) if (ref.deref() === undefined) caches.delete(name);
  caches.set(cache.name, new WeakRef(cache));
  return { enabled: true, name: cache.name };
}

function pluginFor(name: string | undefined): ICachePlugin {
  const cache = name ? caches.get(name)?.deref() : undefined;
  if (cache) return cache.plugin;
  // Refuse rather than fall back to any storage: a credential we did not set up asked for persistence.
  const refuse = async () => {
    throw new Error(`vaultlink keeps Azure token caches in its encrypted vault only; no cache is registered under "${name}".`);
  };
  return { beforeCacheAccess: refuse, afterCacheAccess: refuse };
}
