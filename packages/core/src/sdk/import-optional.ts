/**
 * Lazy SDK loading, one way for every provider: `importOptional(name, () => import(name))`
 * returns a loader that imports the module on first use and remembers it, so loading a
 * provider (and parsing links) loads no SDK. A failed import is not remembered (installing
 * the package fixes it without a restart) and becomes a VaultError naming the package.
 * Tests pass `provided` to inject a module instead of importing it.
 */
import { VaultError } from '../errors.js';

export interface OptionalModule<T> {
  /** The module: imported on the first call, then the same promise. */
  (): Promise<T>;
  /** The npm package name, for messages and the testkit's lazy-SDK check. */
  readonly packageName: string;
}

export function importOptional<T>(packageName: string, load: () => Promise<T>, provided?: T): OptionalModule<T> {
  let loading: Promise<T> | undefined = provided === undefined ? undefined : Promise.resolve(provided);
  const loader = (): Promise<T> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw missingModule(packageName, error);
    });
    return loading;
  };
  return Object.assign(loader, { packageName });
}

function missingModule(packageName: string, error: unknown): VaultError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return new VaultError(
    'PROVIDER_INVALID',
    missing
      ? `The package ${packageName} is not installed.`
      : `The package ${packageName} failed to load (${String(code ?? (error as Error)?.name ?? 'error')}).`,
    {
      fix: { action: 'install', package: packageName, reinstall: !missing },
      details: { package: packageName },
      cause: error,
    },
  );
}
