/**
 * Manifest links as a fallback for names the vault does not have (resolve, run, exec). Opt-in
 * only, through VAULTLINK_LINKS (or the `linksFile` option): a manifest found by walking up
 * from the working directory is never used for resolving, because a manifest in a cloned
 * repository would otherwise choose where your secrets are read from and which hosts they may
 * be sent to. Order: the vault's entry (even a disabled one), then the manifest, then missing.
 */
import { resolve } from 'node:path';
import type { AnyProvider } from '../contract.js';
import { VaultError, isVaultError } from '../errors.js';
import type { SecretEntry } from '../model.js';
import { fieldsOf } from '../sdk/link-flags.js';
import { normalizeDomains } from '../domains.js';
import { LINKS_MANIFEST_ENV, type LinkManifest } from './format.js';
import { readLinkManifest } from './files.js';

/** A manifest entry as a vault entry, or the error that stops it from being one. */
export type FallbackEntry = { ok: true; entry: SecretEntry } | { ok: false; error: VaultError };

export interface ManifestFallback {
  /** The file in use, for messages. */
  path: string;
  lookup(name: string): Promise<FallbackEntry | undefined>;
}

/** The fallback configured by `linksFile`, else VAULTLINK_LINKS, else none. Read once, on first use. */
export function manifestFallback(
  linksFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string | undefined,
  getProvider: (id: string) => Promise<AnyProvider>,
): ManifestFallback | undefined {
  const configured = linksFile ?? env[LINKS_MANIFEST_ENV];
  if (!configured || configured.trim() === '') return undefined;
  const path = resolve(cwd ?? process.cwd(), configured);
  let manifest: Promise<LinkManifest> | undefined;
  return {
    path,
    async lookup(name) {
      let loaded: LinkManifest;
      try {
        loaded = await (manifest ??= readLinkManifest(path));
      } catch (error) {
        if (!isVaultError(error)) throw error;
        return { ok: false, error };
      }
      const found = Object.hasOwn(loaded.links, name) ? loaded.links[name] : undefined;
      if (!found) return undefined;
      try {
        const provider = await getProvider(found.provider);
        const link = JSON.parse(JSON.stringify(provider.parseLink(fieldsOf(found.link)))) as Record<string, unknown>;
        const now = new Date(0).toISOString();
        return {
          ok: true,
          entry: {
            name,
            secret: { kind: 'linked', provider: found.provider, link },
            allowedDomains: normalizeDomains(found.allowedDomains ?? []),
            enabled: true,
            createdAt: now,
            updatedAt: now,
          },
        };
      } catch (error) {
        if (!isVaultError(error)) throw error;
        const issues = error.issues.map((issue) => ({ ...issue, field: `links.${name}.link.${issue.field}` }));
        return {
          ok: false,
          error: new VaultError(
            error.code === 'INVALID_LINK' ? 'INVALID_CONFIG' : error.code,
            `"${name}" in the link manifest ${path} cannot be used: ${error.message.split('\n')[0]}`,
            {
              issues,
              ...(error.fix ? { fix: error.fix } : {}),
              ...(error.provider ? { provider: error.provider } : {}),
              details: { path, name },
            },
          ),
        };
      }
    },
  };
}
