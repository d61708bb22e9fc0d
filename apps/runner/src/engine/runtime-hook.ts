/**
 * newman builds its own postman-runtime Runner and never passes `vaultSecrets`. The runner
 * therefore wraps `Runner.prototype.run` once per process. The wrapper does nothing unless
 * the call happens inside `withRuntimeHooks` (an AsyncLocalStorage scope), so plain newman
 * runs in the same process are untouched. Inside the scope it:
 * - lets the hooks see exactly what newman loaded (collection, environment, globals, data)
 *   and resolve vault references BEFORE the run starts, or fail it before anything is sent;
 * - injects the real `vaultSecrets` scope (domains and pm.vault work the Postman way);
 * - wraps the script host so scripts without vault access never see resolved values.
 * It also wraps the requester's option builder to guard redirects (see redirect-guard.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { loadRequesterCore, loadRuntime, type PostmanVariableScope, type RuntimeRunCallback, type SandboxHost } from './postman-modules.js';
import type { FileResolver } from './file-read-guard.js';
import { redirectListenerFor } from './redirect-guard.js';

/** What newman hands to postman-runtime. */
export interface RuntimeRunInput {
  collection: unknown;
  environment: unknown;
  globals: unknown;
  data: unknown;
  /** newman's `--folder` selection: `{ execute: nameOrId | nameOrId[] }`. */
  entrypoint?: { execute?: string | string[] };
}

export interface RuntimeRunAdditions {
  vaultSecrets: PostmanVariableScope;
  /** Called with each script's execution options just before the sandbox runs it. */
  beforeScript?: (options: { context?: Record<string, unknown> }) => void;
  /** Wraps the resolver file uploads are read through (newman's SecureFS). */
  wrapFileResolver?: (resolver: FileResolver) => FileResolver;
}

/** What postman-runtime's `request` command gets for each collection request (before variables are resolved). */
export interface RequestCommandPayload {
  item?: { name?: string; request?: unknown; getAuth?(): unknown };
  vaultSecrets?: unknown;
  environment?: unknown;
  globals?: unknown;
  collectionVariables?: unknown;
  _variables?: unknown;
  data?: unknown;
}

export interface RuntimeHooks {
  /** Rejecting aborts the run before any request is sent; newman reports the error. */
  beforeRun(input: RuntimeRunInput): Promise<RuntimeRunAdditions>;
  /** Before each collection request is resolved and sent (vault values may be refreshed here). Must not reject. */
  beforeRequest?(payload: RequestCommandPayload): Promise<void>;
  /** The last look at a request about to leave; an Error fails this request without sending it. */
  beforeSend?(request: unknown): Error | undefined;
}

const storage = new AsyncLocalStorage<RuntimeHooks>();
let installed = false;

/** Runs `fn` (which starts a newman run) with the hooks applied to the runs it starts. */
export function withRuntimeHooks<T>(hooks: RuntimeHooks, fn: () => T): T {
  installRuntimePatches();
  return storage.run(hooks, fn);
}

function installRuntimePatches(): void {
  if (installed) return;
  installed = true;
  const runtime = loadRuntime();
  const originalRun = runtime.Runner.prototype.run;
  runtime.Runner.prototype.run = function hookedRun(collection, options, callback) {
    const hooks = storage.getStore();
    // Nested runs (pm.execution.runRequest) inherit the parent's scope from the runtime itself.
    if (!hooks || !options || options['nestedRequest']) return originalRun.call(this, collection, options, callback);
    const input: RuntimeRunInput = {
      collection,
      environment: options['environment'],
      globals: options['globals'],
      data: options['data'],
      entrypoint: options['entrypoint'] as RuntimeRunInput['entrypoint'],
    };
    hooks.beforeRun(input).then(
      (additions) => {
        options['vaultSecrets'] = additions.vaultSecrets;
        const resolver = options['fileResolver'] as FileResolver | undefined;
        if (resolver && additions.wrapFileResolver) options['fileResolver'] = additions.wrapFileResolver(resolver);
        const wrapped: RuntimeRunCallback = (error, run) => {
          if (run && additions.beforeScript) guardScriptHost(run, additions.beforeScript);
          callback(error, run);
        };
        originalRun.call(this, collection, options, wrapped);
      },
      (error: unknown) => callback(error),
    );
    return undefined;
  };

  const requestCommand = runtime.Runner.Run.commands.request;
  runtime.Runner.Run.commands.request = function refreshedRequest(this: unknown, payload: RequestCommandPayload, next: unknown) {
    const hooks = storage.getStore();
    if (!hooks?.beforeRequest) return requestCommand.call(this, payload as never, next);
    hooks.beforeRequest(payload).then(
      () => requestCommand.call(this, payload as never, next),
      // beforeRequest handles its own failures; this only keeps the run going if one slips through.
      () => requestCommand.call(this, payload as never, next),
    );
    return undefined;
  };

  const send = runtime.Requester.prototype.request;
  runtime.Requester.prototype.request = function guardedSend(
    this: unknown,
    id: string,
    request: unknown,
    behavior: unknown,
    callback: (error: Error | null, ...rest: unknown[]) => void,
  ) {
    const refusal = storage.getStore()?.beforeSend?.(request);
    if (!refusal) return send.call(this, id, request, behavior, callback);
    // Answered like a request that failed before it was sent: newman reports it as a request error.
    setImmediate(() => callback(refusal));
    return undefined;
  };

  const core = loadRequesterCore();
  const originalOptions = core.getRequestOptions;
  core.getRequestOptions = function guardedRequestOptions(...args: unknown[]) {
    const requestOptions = originalOptions.apply(this, args);
    const listener = redirectListenerFor();
    if (listener) {
      const bindOn = (requestOptions.bindOn ??= {});
      const existing = bindOn['redirect'];
      bindOn['redirect'] = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), listener];
    }
    return requestOptions;
  };
}

/**
 * postman-runtime creates the sandbox host (`run.host`) when the run starts; an accessor
 * catches that assignment so every script execution passes through `beforeScript`.
 */
function guardScriptHost(
  run: { host?: SandboxHost } & Record<string, unknown>,
  beforeScript: NonNullable<RuntimeRunAdditions['beforeScript']>,
): void {
  let host = run.host;
  const wrap = (candidate: SandboxHost | undefined): SandboxHost | undefined => {
    if (!candidate || (candidate as { __vaultlinkGuarded?: boolean }).__vaultlinkGuarded) return candidate;
    const execute = candidate.execute.bind(candidate);
    candidate.execute = (event, options, callback) => {
      beforeScript(options);
      return execute(event, options, callback);
    };
    (candidate as { __vaultlinkGuarded?: boolean }).__vaultlinkGuarded = true;
    return candidate;
  };
  host = wrap(host);
  Object.defineProperty(run, 'host', {
    configurable: true,
    enumerable: true,
    get: () => host,
    set: (value: SandboxHost | undefined) => {
      host = wrap(value);
    },
  });
}
