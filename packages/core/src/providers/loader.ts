/**
 * Loads a provider by id, the way apps need it: `memory` is built in; `aws`, `azure` and
 * `hashicorp` are `@vault/provider-<id>`; any other id is `vaultlink-provider-<id>`, or a
 * full package name. The package is resolved with Node's ESM rules (the `import`
 * condition, via import-meta-resolve) from each directory in `resolveFrom`, so the ESM
 * build is loaded and shares `@vault/core` with the app. The module's default export (or
 * `provider` export) may be a provider object or a factory returning one.
 */
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROVIDER_CONTRACT_VERSION, type AnyProvider } from '../contract.js';
import { VaultError } from '../errors.js';
import { PROVIDER_ID_PATTERN, validateProvider } from '../sdk/validate.js';
import { createMemoryProvider, type MemoryProviderOptions } from './memory/index.js';

export const FIRST_PARTY_PROVIDERS = ['aws', 'azure', 'hashicorp'] as const;
export const BUILTIN_PROVIDERS = ['memory'] as const;
/** Other names people use for a first-party provider: OpenBao speaks HashiCorp Vault's API. */
export const PROVIDER_ALIASES: Readonly<Record<string, string>> = { vault: 'hashicorp', openbao: 'hashicorp' };

/** The provider id an alias stands for (`vault` → `hashicorp`); any other id unchanged. */
export function canonicalProviderId(id: string): string {
  return Object.hasOwn(PROVIDER_ALIASES, id) ? PROVIDER_ALIASES[id]! : id;
}

function isKnownProvider(id: string): boolean {
  return (FIRST_PARTY_PROVIDERS as readonly string[]).includes(id) || (BUILTIN_PROVIDERS as readonly string[]).includes(id);
}

/** The known ids and aliases, for messages: `memory, aws, azure, hashicorp (also: vault, openbao)`. */
export function knownProvidersText(): string {
  const aliases = Object.keys(PROVIDER_ALIASES);
  return `${[...BUILTIN_PROVIDERS, ...FIRST_PARTY_PROVIDERS].join(', ')}${aliases.length ? ` (also: ${aliases.join(', ')})` : ''}`;
}

export interface LoadProviderOptions {
  /** Directories to resolve packages from, in order. Default: process.cwd(), the running script's directory, and core's own location. */
  resolveFrom?: string[];
  /** Environment handed to factories and the memory provider. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Options for the built-in memory provider. */
  memory?: MemoryProviderOptions;
}

/** The npm package that provides `id`. */
export function providerPackageName(id: string): string {
  if (id.startsWith('@') || id.startsWith('vaultlink-provider-')) return id;
  if ((FIRST_PARTY_PROVIDERS as readonly string[]).includes(id)) return `@vault/provider-${id}`;
  return `vaultlink-provider-${id}`;
}

export async function loadProvider(requestedId: string, options: LoadProviderOptions = {}): Promise<AnyProvider> {
  validateId(requestedId);
  const id = canonicalProviderId(requestedId);
  const env = options.env ?? process.env;
  if (id === 'memory') return createMemoryProvider({ env, ...options.memory });
  const pkg = providerPackageName(id);
  const url = await resolvePackage(pkg, options.resolveFrom ?? defaultResolveDirs());
  if (!url) throw notInstalledError(id, pkg);
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new VaultError('PROVIDER_INVALID', `The provider package ${pkg} failed to load: ${(error as Error).message}`, {
      provider: id,
      fix: { action: 'install', package: pkg, reinstall: true },
      details: { package: pkg },
      cause: error,
    });
  }
  const exported = unwrap(module);
  const provider = typeof exported === 'function' ? await (exported as (o: { env: typeof env }) => unknown)({ env }) : exported;
  return assertValidProvider(provider, pkg, id);
}

/** Checks what a package exported with `validateProvider`; throws PROVIDER_INVALID listing each problem. */
export function assertValidProvider(value: unknown, source: string, expectedId?: string): AnyProvider {
  const problems = validateProvider(value);
  const id = (value as { id?: unknown } | null)?.id;
  // A short id names the provider itself; a package name (`vaultlink-provider-x`, `@acme/x`) does not.
  if (expectedId && PROVIDER_ID_PATTERN.test(expectedId) && typeof id === 'string' && id !== expectedId) {
    problems.push({ field: 'id', problem: `is "${id}"`, expected: `"${expectedId}", the id it was loaded by` });
  }
  if (problems.length > 0) {
    const version = (value as { contractVersion?: unknown } | null)?.contractVersion;
    const outdated = typeof version === 'number' && version !== PROVIDER_CONTRACT_VERSION;
    throw new VaultError(
      'PROVIDER_INVALID',
      outdated
        ? `${source} is built for provider contract v${version}; this vaultlink needs contract v${PROVIDER_CONTRACT_VERSION}.`
        : `${source} does not export a valid vaultlink provider (contract v${PROVIDER_CONTRACT_VERSION}).`,
      {
        issues: problems,
        ...(expectedId ? { provider: expectedId } : {}),
        fix: outdated
          ? { action: 'install', package: source, hint: `a version built for provider contract v${PROVIDER_CONTRACT_VERSION}` }
          : { action: 'report', package: source },
        details: { contractVersion: version ?? null, requiredContractVersion: PROVIDER_CONTRACT_VERSION },
      },
    );
  }
  return value as AnyProvider;
}

export function defaultResolveDirs(): string[] {
  const dirs = [process.cwd()];
  const script = process.argv[1];
  if (script) {
    try {
      dirs.push(dirname(realpathSync(script)));
    } catch {
      dirs.push(dirname(script)); // the script path may be virtual (e.g. `node -e`); use it as given
    }
  }
  dirs.push(dirname(fileURLToPath(import.meta.url)));
  return [...new Set(dirs)];
}

async function resolvePackage(pkg: string, dirs: string[]): Promise<string | undefined> {
  const { resolve } = await import('import-meta-resolve');
  for (const dir of dirs) {
    try {
      return resolve(pkg, pathToFileURL(join(dir, 'noop.js')).href);
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Not found from this directory: try the next one. Anything else is a real problem.
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') continue;
      throw new VaultError('PROVIDER_INVALID', `Cannot resolve ${pkg}: ${(error as Error).message}`, {
        cause: error,
        fix: { action: 'install', package: pkg, reinstall: true },
      });
    }
  }
  return undefined;
}

function unwrap(module: Record<string, unknown>): unknown {
  let value: unknown = module['default'] ?? module['provider'];
  // A CommonJS module imported from ESM puts module.exports on `default`.
  for (
    let i = 0;
    i < 2 && value && typeof value === 'object' && !('contractVersion' in value) && ('default' in value || 'provider' in value);
    i++
  ) {
    const inner = value as Record<string, unknown>;
    value = inner['default'] ?? inner['provider'];
  }
  return value;
}

/**
 * A first-party provider that is missing gets an install fix. Any other id gets none: a package
 * named after whatever was typed may belong to anyone (typosquatting), so the user is pointed at
 * the known ids and at how third-party providers are named instead (free text: no action fits).
 */
function notInstalledError(id: string, pkg: string): VaultError {
  if (isKnownProvider(id)) {
    return new VaultError('PROVIDER_NOT_INSTALLED', `The provider "${id}" is not installed (package ${pkg}).`, {
      provider: id,
      fix: { action: 'install', package: pkg },
      details: { package: pkg },
    });
  }
  const typedPackage = id.startsWith('@') || id.startsWith('vaultlink-provider-');
  return new VaultError(
    'PROVIDER_NOT_INSTALLED',
    `"${id}" is not a vaultlink provider: the known providers are ${knownProvidersText()}, and no third-party package ${pkg} is installed.`,
    {
      provider: id,
      issues: [
        {
          field: 'provider',
          problem: `"${id}" is not a known provider id`,
          expected: `one of ${knownProvidersText()}, or the id of an installed third-party provider`,
        },
      ],
      fix: `use one of ${knownProvidersText()}. Third-party providers are npm packages named vaultlink-provider-<id> (or any package name given as the id); ${typedPackage ? 'install' : 'find one with `npm search vaultlink-provider` and install'} one only after checking who publishes it`,
      details: { package: pkg, known: [...BUILTIN_PROVIDERS, ...FIRST_PARTY_PROVIDERS], aliases: { ...PROVIDER_ALIASES } },
    },
  );
}

function validateId(id: string): void {
  if (typeof id !== 'string' || !/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(id)) {
    throw new VaultError('INVALID_INPUT', 'Invalid provider id.', {
      issues: [
        {
          field: 'provider',
          problem: `"${String(id)}" is not a provider id`,
          expected: 'an id such as aws, azure, hashicorp, memory, or an npm package name',
        },
      ],
    });
  }
}
