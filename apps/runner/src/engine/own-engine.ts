/**
 * The runner owns the Postman engine it drives. newman 6.2.2 pins postman-runtime 7.39.1 and
 * postman-collection 4.4.0: that runtime has no `vaultSecrets` scope and no `pm.vault`. The
 * runner depends on exact versions that do (postman-runtime 7.56.1, which needs
 * postman-collection 5.3.1 on newman's side too) and hands them to newman's run loop.
 *
 * How, for npm, pnpm and yarn consumers alike (package-manager overrides never reach them):
 * before newman is first loaded, the module records of the runner's own postman-runtime and
 * postman-collection are put into `require.cache` under the paths newman's `require` resolves
 * those names to (Node documents that entries may be added to `require.cache`). When newman
 * and the runner already share one copy (a workspace with overrides), nothing changes.
 *
 * Fail closed: when newman was already loaded with other copies (a program that required
 * newman before vaultlink), or the runtime in use cannot carry a vault scope, the run is
 * refused with UNSUPPORTED_ENGINE before anything is sent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { VaultError } from '@vault/core';

type RequireFn = NodeJS.Require;

/** The packages the runner pins and newman must run on. */
export const OWNED_ENGINE_PACKAGES = ['postman-runtime', 'postman-collection'] as const;

/** What a runtime needs to carry vault secrets the way the runner uses them. */
export interface EngineCapabilities {
  runtimeVersion: string;
  /** `Runner.Run.commands.request`: where a refreshed value is put into the scope before each request. */
  hasRequestCommand: boolean;
  /** `lib/runner/util.prepareVaultVariableScope`: the runtime's domain matcher for vault scopes. */
  hasVaultScope: boolean;
}

/** Points newman's `require('postman-runtime' | 'postman-collection')` at the runner's own copies. */
export function bindNewmanToOwnEngine(load: RequireFn): void {
  const newmanRun = newmanRunEntry(load);
  const fromNewman = createRequire(newmanRun);
  const newmanLoaded = load.cache[newmanRun] !== undefined;
  for (const name of OWNED_ENGINE_PACKAGES) {
    const own = load.resolve(name);
    const theirs = fromNewman.resolve(name);
    if (own === theirs) continue;
    load(name);
    const ownRecord = load.cache[own];
    if (!ownRecord) throw engineError(`${name} could not be loaded from ${dirname(own)}`);
    const cached = load.cache[theirs];
    if (cached === ownRecord) continue;
    // A cached copy nobody has bound newman to yet may be replaced; a loaded newman keeps what it has.
    if (newmanLoaded) {
      throw engineError(
        `newman was loaded in this process before vaultlink, with its own ${name} ${versionAt(theirs, name)} (${packageRoot(theirs, name)}), ` +
          `instead of the runner's ${versionAt(own, name)}`,
      );
    }
    load.cache[theirs] = ownRecord;
  }
}

/** Refuses a newman bound to copies other than the runner's, or a runtime without vault support. */
export function verifyOwnEngine(load: RequireFn): void {
  const fromNewman = createRequire(newmanRunEntry(load));
  for (const name of OWNED_ENGINE_PACKAGES) {
    if (fromNewman(name) !== load(name)) {
      throw engineError(
        `newman runs on another ${name} (${packageRoot(fromNewman.resolve(name), name)}) than the runner's (${packageRoot(load.resolve(name), name)})`,
      );
    }
  }
  assertVaultCapable(engineCapabilities(load));
}

export function engineCapabilities(load: RequireFn): EngineCapabilities {
  const runtimePath = load.resolve('postman-runtime');
  const runtime = load('postman-runtime') as { Runner?: { Run?: { commands?: Record<string, unknown> } } };
  let util: { prepareVaultVariableScope?: unknown } = {};
  try {
    util = createRequire(runtimePath)('./lib/runner/util') as typeof util;
  } catch {
    util = {};
  }
  return {
    runtimeVersion: versionAt(runtimePath, 'postman-runtime'),
    hasRequestCommand: typeof runtime.Runner?.Run?.commands?.['request'] === 'function',
    hasVaultScope: typeof util.prepareVaultVariableScope === 'function',
  };
}

export function assertVaultCapable(capabilities: EngineCapabilities): void {
  const missing = [
    ...(capabilities.hasVaultScope ? [] : ['vault secrets scope (prepareVaultVariableScope)']),
    ...(capabilities.hasRequestCommand ? [] : ['request command to refresh values in (Runner.Run.commands.request)']),
  ];
  if (missing.length > 0) {
    throw engineError(`postman-runtime ${capabilities.runtimeVersion} has no ${missing.join(' and no ')}`);
  }
}

/** newman started a run without the runner's hook: its runtime is not the one the runner patched. */
export function unhookedRunError(): VaultError {
  return engineError(
    'newman started a run on a postman-runtime the runner did not hook (no vault scope); the run was stopped before its first request',
  );
}

function engineError(reason: string): VaultError {
  return new VaultError(
    'UNSUPPORTED_ENGINE',
    `The Postman engine cannot carry vault secrets, so the run was not started and nothing was sent: ${reason}.`,
    {
      // Data, said by the host. Through the vaultlink CLI only a broken install gets here; a program that loaded newman first reads the hint.
      fix: {
        action: 'install',
        package: '@vault/runner',
        reinstall: true,
        hint: 'with its own dependencies; a program that requires newman before @vault/runner must load @vault/runner first, or run the collection in a process of its own',
      },
      details: { engine: 'postman-runtime' },
    },
  );
}

function newmanRunEntry(load: RequireFn): string {
  return createRequire(load.resolve('newman')).resolve('./lib/run');
}

/** The directory of the package `name` that `file` belongs to. */
function packageRoot(file: string, name: string): string {
  let directory = dirname(file);
  while (dirname(directory) !== directory) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return directory;
    directory = dirname(directory);
  }
  return dirname(file);
}

function versionAt(file: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(file, name), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
