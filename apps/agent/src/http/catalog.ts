/**
 * The providers the page can offer, with the flag specs its forms are generated from: the
 * first-party ones, every `vaultlink-provider-*` package found in node_modules from the
 * directory `vaultlink ui` ran in (a third-party provider gets its forms with no UI change),
 * and any id the vault already uses. Each is loaded by name through core's loader, as every
 * app does; one that fails to load is listed with its error (e.g. how to install it).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  FIRST_PARTY_PROVIDERS,
  defaultResolveDirs,
  fieldName,
  isVaultError,
  loadProvider,
  readTeamConfig,
  type AnyProvider,
  type FlagSpec,
} from '@vault/core';
import type { CatalogEntry, FormFlag } from './wire.js';
import { teamConfigLocation } from '../server/unlocked.js';
import type { RequestContext } from '../shared/protocol.js';
import { serializeError } from '../shared/wire-errors.js';

export type { CatalogEntry, FormFlag } from './wire.js';

export interface CatalogContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Where `vaultlink ui` ran: provider packages and the team config are found from there. */
  ctx: RequestContext;
  /** Provider ids the vault uses (links and integrations). */
  inUse: string[];
}

const PACKAGE_PREFIX = 'vaultlink-provider-';

export async function providerCatalog(context: CatalogContext): Promise<CatalogEntry[]> {
  const dirs = resolveDirs(context.ctx);
  const ids = new Set<string>([...FIRST_PARTY_PROVIDERS, ...discoverInstalled(dirs), ...context.inUse]);
  if (context.env.VAULTLINK_MEMORY_PROVIDER_FILE) ids.add('memory');
  const team = await readTeamConfig(teamConfigLocation(context.ctx)).catch(() => undefined);
  return Promise.all(
    [...ids].sort().map(async (id): Promise<CatalogEntry> => {
      let provider: AnyProvider;
      try {
        provider = await loadProvider(id, { env: context.env, resolveFrom: dirs });
      } catch (error) {
        return { id, installed: false, error: serializeError(error, `The provider "${id}" failed to load.`) };
      }
      return {
        id,
        installed: true,
        displayName: provider.displayName,
        capabilities: provider.capabilities,
        flags: {
          link: formFlags(provider.flags.link),
          connect: formFlags(provider.flags.connect),
          setup: formFlags(provider.flags.setup ?? []),
          disconnect: formFlags(disconnectSpecs({ connect: provider.flags.connect, setup: provider.flags.setup ?? [] })),
        },
        ...(provider.capabilities.adminManagedSetup ? { teamConfigured: Boolean(team?.config.integrations[id]) } : {}),
      };
    }),
  );
}

/** A provider's flag lists, as its forms are read. */
export interface FormSpecs {
  link: readonly FlagSpec[];
  connect: readonly FlagSpec[];
  setup: readonly FlagSpec[];
}

/** The flags of one provider, for reading a posted form. `optional`: a provider that is not installed has none (disconnect still works). */
export async function loadFormProvider(id: string, context: Omit<CatalogContext, 'inUse'>, optional = false): Promise<FormSpecs> {
  try {
    const provider = await loadProvider(id, { env: context.env, resolveFrom: resolveDirs(context.ctx) });
    return { link: provider.flags.link, connect: provider.flags.connect, setup: provider.flags.setup ?? [] };
  } catch (error) {
    if (optional && isVaultError(error, 'PROVIDER_NOT_INSTALLED')) return { link: [], connect: [], setup: [] };
    throw error;
  }
}

/** Disconnect takes the setup flags (admin credentials) and then the connect ones, as the CLI does. */
export function disconnectSpecs(flags: Pick<FormSpecs, 'connect' | 'setup'>): FlagSpec[] {
  const seen = new Map<string, FlagSpec>();
  for (const spec of [...flags.setup, ...flags.connect]) if (!seen.has(spec.name)) seen.set(spec.name, spec);
  return [...seen.values()];
}

function resolveDirs(ctx: RequestContext): string[] {
  return [...ctx.resolveFrom, ctx.cwd, ...defaultResolveDirs()];
}

function formFlags(specs: readonly FlagSpec[]): FormFlag[] {
  return specs.map((spec) => ({ ...spec, field: fieldName(spec.name) }));
}

/** Ids of `vaultlink-provider-*` packages in every node_modules from `dirs` up to the root, as Node would find them. */
function discoverInstalled(dirs: string[]): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  for (const start of dirs) {
    for (let dir = start; !seen.has(dir); dir = dirname(dir)) {
      seen.add(dir);
      for (const name of listDir(join(dir, 'node_modules'))) {
        if (name.startsWith(PACKAGE_PREFIX) && name.length > PACKAGE_PREFIX.length) found.add(name.slice(PACKAGE_PREFIX.length));
        else if (name.startsWith('@')) {
          for (const scoped of listDir(join(dir, 'node_modules', name)))
            if (scoped.startsWith(PACKAGE_PREFIX)) found.add(`${name}/${scoped}`);
        }
      }
      if (dirname(dir) === dir) break;
    }
  }
  return [...found];
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
