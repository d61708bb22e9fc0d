/**
 * newman, postman-runtime and postman-collection are CommonJS and large: they are loaded
 * on first use (so `vaultlink --help` does not pay for them) through one `require`, which
 * guarantees the runner patches the very module instances newman itself uses.
 * The types below cover only what the runner touches.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { bindNewmanToOwnEngine, verifyOwnEngine } from './own-engine.js';
import { exposeReportersToNewman } from './reporter-lookup.js';

const load = createRequire(import.meta.url);

export interface PostmanVariable {
  key: string;
  value: unknown;
  _?: Record<string, unknown>;
  toJSON(): Record<string, unknown>;
}

export interface PostmanVariableList {
  each(fn: (variable: PostmanVariable) => void): void;
  count(): number;
  all(): PostmanVariable[];
  toObject(): Record<string, unknown>;
}

export interface PostmanVariableScope {
  id?: string;
  prefix?: string;
  values: PostmanVariableList;
  get(key: string): unknown;
  set(key: string, value: unknown, type?: string): void;
  unset(key: string): void;
  toJSON(): Record<string, unknown>;
  /** Added by postman-runtime's `prepareVaultVariableScope`. */
  __getMatchingVariables?: (url: string) => PostmanVariableList;
  __hasDomainPatterns?: boolean;
  __vaultVariableScope?: boolean;
}

export interface PostmanCollectionSdk {
  VariableScope: {
    new (definition?: unknown): PostmanVariableScope;
    isVariableScope(value: unknown): boolean;
  };
  Collection: { new (definition?: unknown): { toJSON(): Record<string, unknown> } };
  Request: new (definition: unknown) => unknown;
  Response: new (definition: unknown) => unknown;
  Property: { replaceSubstitutions(text: string, variables: unknown[]): string };
}

/** What postman-runtime hands a script host (`run.host`, a postman-sandbox context). */
export interface SandboxHost {
  execute(
    event: unknown,
    options: { context?: Record<string, unknown> } & Record<string, unknown>,
    callback: (...args: unknown[]) => void,
  ): unknown;
}

export type RuntimeRunCallback = (error: unknown, run?: { host?: SandboxHost } & Record<string, unknown>) => void;

/** A command processor of postman-runtime's instruction pool: `(payload, next)`. */
/** Each command has its own payload type: callers cast theirs. */
export type RuntimeCommand = (this: unknown, payload: never, next: unknown) => unknown;

export interface PostmanRuntimeModule {
  Runner: {
    prototype: {
      run(this: unknown, collection: unknown, options: Record<string, unknown>, callback: RuntimeRunCallback): unknown;
    };
    new (options?: unknown): { run(collection: unknown, options: Record<string, unknown>, callback: RuntimeRunCallback): unknown };
    /** The Run class; `commands.request` resolves a collection request's variables and sends it. */
    Run: { commands: { request: RuntimeCommand } & Record<string, RuntimeCommand> };
  };
  Requester: {
    prototype: {
      request(
        this: unknown,
        id: string,
        request: unknown,
        protocolProfileBehavior: unknown,
        callback: (error: Error | null, ...rest: unknown[]) => void,
      ): unknown;
    };
  };
}

/** postman-runtime's requester core: builds the options postman-request gets for each request. */
export interface RequesterCore {
  getRequestOptions(this: unknown, ...args: unknown[]): Record<string, unknown> & { bindOn?: Record<string, unknown> };
}

export interface NewmanEmitter extends EventEmitter {
  exports?: Array<{ name?: string; default?: string; path?: string; content?: unknown }>;
  summary?: unknown;
}

export interface NewmanModule {
  run(options: Record<string, unknown>, callback: (error: Error | null, summary: NewmanSummary) => void): NewmanEmitter;
}

/** The parts of newman's run summary the runner reads. */
export interface NewmanSummary {
  run: {
    failures: unknown[];
    error?: unknown;
    stats: Record<string, { total: number; failed: number; pending?: number }>;
  };
  [key: string]: unknown;
}

export interface NewmanCliUtil {
  omitNestedOptions(argv: string[], prefix: string): string[];
  parseNestedOptions(
    argv: string[],
    prefix: string,
    names: string[],
  ): Record<string, Record<string, unknown>> & { _generic: Record<string, unknown> };
}

/**
 * newman, running on the runner's own postman-runtime and postman-collection (own-engine.ts),
 * able to load the reporters the runner bundles (htmlextra) or that are installed next to it.
 * Throws UNSUPPORTED_ENGINE when that cannot be had.
 */
export function loadNewman(): NewmanModule {
  bindNewmanToOwnEngine(load);
  const newman = load('newman') as NewmanModule;
  verifyOwnEngine(load);
  exposeReportersToNewman(load);
  return newman;
}

export const loadRuntime = (): PostmanRuntimeModule => load('postman-runtime') as PostmanRuntimeModule;
export const loadCollectionSdk = (): PostmanCollectionSdk => load('postman-collection') as PostmanCollectionSdk;

/** Resolved from postman-runtime's own location, so it is the instance the runtime uses. */
export function loadRequesterCore(): RequesterCore {
  const fromRuntime = createRequire(load.resolve('postman-runtime'));
  return fromRuntime('./lib/requester/core') as RequesterCore;
}

/** postman-url-encoder, which postman-runtime percent-encodes each request URL with. */
export interface UrlEncoder {
  encodePath(path: string): string;
  encodeQueryParam(param: string | { key: string | null; value: string }): string;
  encodeUserInfo(text: string): string;
  encodeFragment(text: string): string;
}

/** Resolved from postman-runtime's own location, so values are encoded exactly as the runtime sends them. */
export function loadUrlEncoder(): UrlEncoder {
  const fromRuntime = createRequire(load.resolve('postman-runtime'));
  return fromRuntime('postman-url-encoder/encoder') as UrlEncoder;
}

/** postman-runtime's runner helpers; `prepareVaultVariableScope` adds the domain matcher to a vault scope. */
export interface RuntimeUtil {
  prepareVaultVariableScope(scope: PostmanVariableScope): PostmanVariableScope;
}

export function loadRuntimeUtil(): RuntimeUtil {
  const fromRuntime = createRequire(load.resolve('postman-runtime'));
  return fromRuntime('./lib/runner/util') as RuntimeUtil;
}

/** newman's own `--reporter-<name>-<option>` parsing, so reporter flags behave exactly as in newman. */
export function loadNewmanCliUtil(): NewmanCliUtil {
  const fromNewman = createRequire(load.resolve('newman'));
  return fromNewman('./bin/util.js') as NewmanCliUtil;
}
