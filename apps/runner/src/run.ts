/**
 * `run(options)`: newman's `run` with vault secrets. Takes newman's options plus a few of
 * vaultlink's, and resolves to newman's summary (as the json reporter writes it, masked)
 * with a `vaultlink` section. Rejects with a VaultError when the run cannot start
 * (unreadable collection, locked vault, unresolved references with failOnUnresolved).
 */
import { dirname, resolve as resolvePath } from 'node:path';
import {
  assertSafeOutputPath,
  defaultVaultHome,
  isVaultError,
  outputPathProblem,
  MIN_SUBSTRING_LENGTH,
  openVault,
  SecretMasker,
  VaultError,
  type Fix,
  type SecretInfo,
  type VaultApi,
} from '@vault/core';
import { loadNewman, type NewmanSummary } from './engine/postman-modules.js';
import { registerRedirectPolicy } from './engine/redirect-guard.js';
import { guardFileResolver } from './engine/file-read-guard.js';
import { unhookedRunError } from './engine/own-engine.js';
import {
  withRuntimeHooks,
  type RequestCommandPayload,
  type RuntimeHooks,
  type RuntimeRunAdditions,
  type RuntimeRunInput,
} from './engine/runtime-hook.js';
import { createSendCheck, refusedError } from './engine/send-check.js';
import { redirectPolicyFor, scriptContextGuardFor } from './engine/secret-guards.js';
import { createVaultScope, type VaultScope } from './engine/vault-scope.js';
import { maskProcessOutput } from './masking/output-capture.js';
import { maskEmitterEvents } from './masking/event-masking.js';
import { withMaskedSummary } from './masking/masked-summary.js';
import { exportTarget, maskReportExports, type ExportGuard } from './masking/report-exports.js';
import { createRunMasker } from './masking/run-masker.js';
import { isCi, streamMessages, type RunMessages } from './messages.js';
import { persistScriptChanges, type PersistOutcome } from './persist-script-changes.js';
import { collectReferences } from './references/collect.js';
import { createInRunExpiry } from './resolve/in-run-expiry.js';
import { formatUnresolved, resolveReferences, type UnresolvedReference } from './resolve/resolve-references.js';
import { newmanLoadError } from './newman-errors.js';

/** newman's run options (https://github.com/postmanlabs/newman#api-reference); others pass through unchanged. */
export interface NewmanRunOptions {
  /** Path, URL or JSON object of a Postman collection v2.1. */
  collection: string | Record<string, unknown>;
  environment?: string | Record<string, unknown>;
  globals?: string | Record<string, unknown>;
  /** Path of a JSON or CSV file, or the rows themselves. */
  iterationData?: string | Array<Record<string, unknown>>;
  iterationCount?: number;
  folder?: string | string[];
  envVar?: Array<{ key: string; value: string }>;
  globalVar?: Array<{ key: string; value: string }>;
  timeout?: number;
  timeoutRequest?: number;
  timeoutScript?: number;
  delayRequest?: number;
  bail?: boolean | string[];
  insecure?: boolean;
  ignoreRedirects?: boolean;
  /** Default: none (as newman.run); the CLI defaults to `cli`. */
  reporters?: string | string[];
  /** Per-reporter options, e.g. `{ json: { export: 'out.json' } }`. */
  reporter?: Record<string, Record<string, unknown>>;
  color?: 'auto' | 'on' | 'off';
  silent?: boolean;
  disableUnicode?: boolean;
  verbose?: boolean;
  /** Directory file uploads are read from. @default the collection's directory (a local path), else the current one */
  workingDir?: string;
  /** Allow file uploads from outside `workingDir` (never from VAULTLINK_HOME, /proc, /dev or /sys). @default false */
  insecureFileRead?: boolean;
  [option: string]: unknown;
}

export interface VaultRunOptions {
  /** The vault to resolve from. @default the local vault (VAULTLINK_HOME, VAULTLINK_PASSPHRASE or the OS keychain) */
  vault?: VaultApi | ((options?: { concurrency?: number }) => Promise<VaultApi>);
  /** Fail before sending anything when a reference cannot be resolved. @default true when CI=true */
  failOnUnresolved?: boolean;
  /** Let scripts use pm.vault (get, and set/unset of local secrets). @default false */
  allowScriptVault?: boolean;
  /** Where vaultlink's own warnings and progress line go. @default stderr */
  messages?: RunMessages;
  /** Aborts the run (newman stops after the current request). */
  signal?: AbortSignal;
  /** Environment read for CI and the default vault. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The vault's clock in ms, when the vault was opened with its own (`openVault({ now })`). @default Date.now */
  now?: () => number;
  /** Upstream requests per provider at once while resolving. @default each provider's declared concurrency */
  concurrency?: number;
  /** How fixes are said in messages. @default a plain description of the fix data */
  renderFix?: (fix: Fix) => string;
}

export type RunOptions = NewmanRunOptions & VaultRunOptions;

export interface VaultRunReport {
  /** newman's rule: 1 when the run errored or any assertion, request or script failed; else 0. */
  exitCode: 0 | 1;
  /** Names resolved for this run (never values). */
  resolved: string[];
  unresolved: UnresolvedReference[];
  /** pm.vault.set/unset changes written to the local vault after the run. */
  scriptChanges: PersistOutcome['saved'];
  scriptChangeErrors: Array<{ name: string; op: 'set' | 'unset'; code: string; message: string }>;
}

/** newman's run summary as JSON (what its json reporter writes), masked, plus `vaultlink`. */
export interface RunSummary {
  collection: Record<string, unknown>;
  environment: Record<string, unknown>;
  globals: Record<string, unknown>;
  run: {
    stats: Record<string, { total: number; failed: number; pending?: number }>;
    timings: Record<string, number>;
    executions: Array<Record<string, unknown>>;
    transfers: Record<string, number>;
    failures: Array<Record<string, unknown>>;
    error: unknown;
  };
  vaultlink: VaultRunReport;
}

interface RunState {
  vault?: VaultApi;
  secrets: SecretInfo[];
  scope?: VaultScope;
  resolved: string[];
  unresolved: UnresolvedReference[];
  /** Why a name has no value right now (up-front resolve or a refresh during the run). */
  reasons: Map<string, string>;
  refresh?: (payload: RequestCommandPayload) => Promise<void>;
  /** Whether the runner's hook saw this run start: if not, newman is on another runtime. */
  hooked: boolean;
  abortRun?: () => void;
  engineError?: VaultError;
  stopGuards?: () => void;
}

export async function run(options: RunOptions): Promise<RunSummary> {
  const {
    vault: vaultOption,
    failOnUnresolved,
    allowScriptVault = false,
    env = process.env,
    messages = streamMessages(process.stderr, env),
    signal,
    now,
    concurrency,
    renderFix,
    ...newmanOptions
  } = options;
  const vaultOptions = concurrency === undefined ? {} : { concurrency };
  const failFast = failOnUnresolved ?? isCi(env);
  // File uploads: only from the collection's directory unless the caller opts in (newman's default is anywhere).
  newmanOptions.insecureFileRead ??= false;
  newmanOptions.workingDir ??= defaultWorkingDir(newmanOptions.collection);
  // NO_COLOR (https://no-color.org) turns colour off unless --color says otherwise.
  if ((newmanOptions.color ?? 'auto') === 'auto' && (env['NO_COLOR'] ?? '') !== '') newmanOptions.color = 'off';
  const masker = createRunMasker();
  const state: RunState = { secrets: [], resolved: [], unresolved: [], reasons: new Map(), hooked: false };
  const getVault = async (): Promise<VaultApi> => {
    state.vault ??=
      typeof vaultOption === 'function'
        ? await vaultOption(vaultOptions)
        : (vaultOption ?? (await openVault({ env: { ...env }, ...vaultOptions })));
    return state.vault;
  };
  const sendCheck = createSendCheck({
    failFast,
    scope: () => state.scope?.scope,
    reasonFor: (name) => state.reasons.get(name),
    warnedBefore: (name) => state.unresolved.some((entry) => entry.name === name),
    messages,
    abortRun: () => state.abortRun?.(),
  });

  const beforeRun = async (input: RuntimeRunInput): Promise<RuntimeRunAdditions> => {
    state.hooked = true;
    const folders = input.entrypoint?.execute === undefined ? [] : ([] as string[]).concat(input.entrypoint.execute);
    const references = collectReferences({ ...input, folders });
    const needsVault = references.required.size + references.optional.size + references.problems.length > 0 || allowScriptVault;
    let secrets: Awaited<ReturnType<typeof resolveReferences>>['secrets'] = [];
    if (needsVault) {
      const vault = await getVault();
      // Scripts may read any local secret and may try to change linked ones: both need the list.
      if (allowScriptVault) state.secrets = await vault.list();
      const extra = state.secrets.filter((info) => info.kind === 'local' && info.enabled).map((info) => info.name);
      try {
        const resolved = await resolveReferences(vault, references, {
          extra,
          signal,
          onProgress: (done, total) => messages.progress(done, total),
        });
        secrets = resolved.secrets;
        state.unresolved = resolved.unresolved;
      } finally {
        messages.endProgress();
      }
      masker.add(secrets.map((secret) => secret.value));
      warnShortValues(secrets, messages);
      state.resolved = secrets.map((secret) => secret.name);
      for (const entry of state.unresolved) state.reasons.set(entry.name, entry.reason);
      reportUnresolved(state.unresolved, failFast, messages, renderFix);
    }
    const fetched = new SecretMasker(secrets.filter((secret) => secret.linked).map((secret) => secret.value));
    const scope = createVaultScope({
      secrets,
      allowScriptAccess: allowScriptVault,
      linked: new Map(
        state.secrets.filter((info) => info.kind === 'linked').map((info) => [info.name, info.provider ?? 'an external vault']),
      ),
      onValue: (value) => masker.add([value]),
      holdsFetchedValue: (text) => fetched.contains(text),
      warn: (message) => messages.warn(message),
    });
    state.scope = scope;
    const linked = new Set(secrets.filter((secret) => secret.linked).map((secret) => secret.name));
    if (state.vault && linked.size > 0) {
      state.refresh = createInRunExpiry({
        vault: state.vault,
        linked,
        ...(now ? { now } : {}),
        update: (name, value) => {
          if (value !== undefined) {
            masker.add([value]);
            fetched.add([value]);
            state.reasons.delete(name);
          }
          scope.replace(name, value);
        },
        unresolved: (name, reason) => state.reasons.set(name, reason),
        messages,
        signal,
      });
    }
    state.stopGuards = registerRedirectPolicy(redirectPolicyFor(scope.scope));
    return {
      vaultSecrets: scope.scope,
      wrapFileResolver: (resolver) => guardFileResolver(resolver, defaultVaultHome({ ...env })),
      ...(allowScriptVault ? {} : { beforeScript: scriptContextGuardFor(scope.scope) }),
    };
  };
  const hooks: RuntimeHooks = {
    beforeRun,
    beforeRequest: (payload) => state.refresh?.(payload) ?? Promise.resolve(),
    beforeSend: (request) => sendCheck.beforeSend(request),
  };

  checkReportPaths(newmanOptions, env);
  const refusedExports: string[] = [];
  const exportGuard: ExportGuard = {
    problem: (entry) => {
      const target = exportTarget(entry);
      return target === undefined ? undefined : outputPathProblem(target, { env: { ...env } });
    },
    refused: (entry, problem) => refusedExports.push(`${exportTarget(entry) ?? 'a report'}: it ${problem}`),
  };
  const stopMasking = maskProcessOutput(masker, { plain: newmanOptions.color === 'off' });
  try {
    const { error, summary } = await withRuntimeHooks(hooks, () => startNewman(newmanOptions, masker, exportGuard, state, signal));
    if (error) throw isVaultError(error) ? error : newmanLoadError(masker.mask(error.message ?? String(error)));
    if (state.engineError) throw state.engineError;
    const persisted = await persistChanges(state, messages);
    const refused = sendCheck.refused();
    if (refused.length > 0) throw refusedError(refused);
    if (refusedExports.length > 0) {
      throw new VaultError(
        'INVALID_INPUT',
        `The run finished, but vaultlink did not write ${plural(refusedExports.length, 'report')}:\n${refusedExports.map((line) => `  - ${line}`).join('\n')}`,
        {
          fix: 'run from a directory outside VAULTLINK_HOME, or give each reporter an export path outside it (--reporter-<name>-export FILE)',
        },
      );
    }
    const failed = Boolean(summary.run.error) || summary.run.failures.length > 0 || persisted.failed.length > 0;
    return withMaskedSummary<RunSummary>(summary, masker, {
      exitCode: failed ? 1 : 0,
      resolved: state.resolved,
      unresolved: state.unresolved,
      scriptChanges: persisted.saved,
      scriptChangeErrors: persisted.failed.map(({ name, op, error: e }) => ({ name, op, code: e.code, message: masker.mask(e.message) })),
    });
  } catch (error) {
    if (isVaultError(error)) throw error;
    // An unexpected failure: its message may quote a request, so it is masked too.
    throw new VaultError(
      'INTERNAL',
      masker.mask(`The run failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`),
      {
        cause: error,
        fix: 'run again with VAULTLINK_DEBUG=1 for the stack trace and report it',
      },
    );
  } finally {
    state.stopGuards?.();
    stopMasking();
  }
}

function startNewman(
  options: Record<string, unknown>,
  masker: SecretMasker,
  exportGuard: ExportGuard,
  state: RunState,
  signal?: AbortSignal,
): Promise<{ error: Error | null; summary: NewmanSummary }> {
  const newman = loadNewman();
  return new Promise((resolve) => {
    const emitter = newman.run({ ...options }, (error, summary) => resolve({ error, summary }));
    maskEmitterEvents(emitter, masker, { verbose: Boolean(options['verbose']) });
    maskReportExports(emitter, masker, exportGuard);
    emitter.once('start', (_error: unknown, started: { run?: { abort?: () => void } }) => {
      const abort = () => started?.run?.abort?.();
      state.abortRun = abort;
      // newman started a run the runner's hook never saw: it is on another runtime, with no vault scope.
      if (!state.hooked) {
        state.engineError = unhookedRunError();
        abort();
        return;
      }
      if (!signal) return;
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
  });
}

function reportUnresolved(
  unresolved: readonly UnresolvedReference[],
  failFast: boolean,
  messages: RunMessages,
  renderFix?: (fix: Fix) => string,
): void {
  if (unresolved.length === 0) return;
  const required = unresolved.filter((entry) => entry.required);
  if (failFast && required.length > 0) {
    throw new VaultError(
      'UNRESOLVED',
      `${plural(required.length, 'vault reference')} could not be resolved, so nothing was sent (--fail-on-unresolved):\n${formatUnresolved(required, renderFix).join('\n')}`,
      {
        // Data, rendered by the host: each listed reference carries its own fix above.
        fix: {
          action: 'list',
          hint: 'fix each reference listed with its own fix, or run with --no-fail-on-unresolved to send them literally',
        },
        details: { unresolved: required.map(({ name, reason, code }) => ({ name, reason, code })) },
      },
    );
  }
  messages.warn(
    `${plural(unresolved.length, 'vault reference')} could not be resolved and stay literal ({{vault:NAME}}), as in Postman:\n${formatUnresolved(unresolved, renderFix).join('\n')}`,
  );
}

async function persistChanges(state: RunState, messages: RunMessages): Promise<PersistOutcome> {
  const changes = state.scope?.changes() ?? [];
  if (changes.length === 0 || !state.vault) return { saved: [], failed: [] };
  const outcome = await persistScriptChanges(state.vault, changes, state.secrets);
  if (outcome.saved.length > 0) {
    messages.info(`saved script changes to the local vault: ${outcome.saved.map((change) => `${change.op} ${change.name}`).join(', ')}`);
  }
  for (const failure of outcome.failed) messages.warn(`could not save pm.vault.${failure.op}("${failure.name}"): ${failure.error.message}`);
  return outcome;
}

/** Report files named up front (`--reporter-<name>-export`) are checked before anything is sent. */
function checkReportPaths(options: NewmanRunOptions, env: Readonly<Record<string, string | undefined>>): void {
  const perReporter = Object.entries(options.reporter ?? {}).map(([name, settings]) => [name, settings?.['export']] as const);
  const generic = (options['reporterOptions'] as Record<string, unknown> | undefined)?.['export'];
  for (const [name, path] of [...perReporter, ['', generic] as const]) {
    if (typeof path === 'string' && path !== '')
      assertSafeOutputPath(path, name ? `--reporter-${name}-export` : '--reporter-export', { env: { ...env } });
  }
}

/** The directory of a collection given as a local path; the current directory otherwise. */
function defaultWorkingDir(collection: NewmanRunOptions['collection']): string {
  if (typeof collection !== 'string' || /^https?:\/\//i.test(collection)) return process.cwd();
  return dirname(resolvePath(collection));
}

/** As GitHub Actions does: a value too short to mask inside other words is named (never shown). */
function warnShortValues(secrets: ReadonlyArray<{ name: string; value: string }>, messages: RunMessages): void {
  const short = secrets
    .filter((secret) => secret.value.length > 0 && secret.value.length < MIN_SUBSTRING_LENGTH)
    .map((secret) => secret.name);
  if (short.length === 0) return;
  messages.warn(
    `${plural(short.length, 'vault secret')} ${short.length === 1 ? 'is' : 'are'} shorter than ${MIN_SUBSTRING_LENGTH} characters (${short.join(', ')}): ` +
      'masked in output only where they stand as whole words, not inside longer ones. Use longer values.',
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
