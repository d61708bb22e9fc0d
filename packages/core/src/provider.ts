/**
 * `@vault/core/provider`: everything a provider needs, and nothing else (no store, no
 * keychain, no engine). Build a provider with `defineProvider`, load SDKs with
 * `importOptional`, throw `VaultError`s whose `fix` says what to do, and check the result
 * with `validateProvider` (the loader, the testkit and the CLI run the same check).
 */
export { PROVIDER_CONTRACT_VERSION } from './contract.js';
export type {
  AnyProvider,
  AuthContext,
  CallOptions,
  DocumentResult,
  FetchResult,
  FlagSpec,
  LinkSummary,
  Provider,
  ProviderCapabilities,
  ProviderFields,
  ProviderFlags,
  ProviderIO,
  Selected,
  Session,
  SignOutResult,
  TeamSettings,
} from './contract.js';
export { VaultError, isVaultError, IssueList, ERROR_CODES } from './errors.js';
export type { ErrorCode, FieldIssue, VaultErrorOptions, VaultErrorJSON } from './errors.js';
export { FIX_ACTIONS, isFix } from './fixes.js';
export type { Fix, FixAction, FixFlags } from './fixes.js';
export { defineProvider, DEFAULT_PROVIDER_CONCURRENCY } from './sdk/define.js';
export type { ProviderDefinition } from './sdk/define.js';
export { readFields, fieldName } from './sdk/fields.js';
export type { FieldReader, ReadFieldsOptions } from './sdk/fields.js';
export { importOptional } from './sdk/import-optional.js';
export { transportFault, isTlsErrorCode, retryAfterSeconds } from './sdk/transport-faults.js';
export type { TransportFault, TransportFaultKind } from './sdk/transport-faults.js';
export { withDeadline } from './sdk/deadline.js';
export type { DeadlineOptions } from './sdk/deadline.js';
export { startLoopbackReceiver, loopbackRedirectProblem, LOOPBACK_REDIRECT_EXPECTED } from './sdk/loopback-redirect.js';
export type { LoopbackOptions, LoopbackReceiver } from './sdk/loopback-redirect.js';
export { PromiseCache, fingerprint } from './sdk/promise-cache.js';
export type { PromiseCacheOptions } from './sdk/promise-cache.js';
export type { OptionalModule } from './sdk/import-optional.js';
export { validateProvider, RESERVED_FLAG_NAMES, PROVIDER_ID_PATTERN, FLAG_NAME_PATTERN } from './sdk/validate.js';
export { linkFlagsOf } from './sdk/link-flags.js';
export type { LinkFlags, LinkFlagsResult } from './sdk/link-flags.js';
export { readLinks, gateFor } from './engine/read-links.js';
export { JSON_POINTER_FLAG, JSON_POINTER_FIELD, JSON_POINTER_EXPECTED, jsonPointerProblem } from './engine/json-pointer.js';
export type { ReadLinksOptions } from './engine/read-links.js';
export { abortedError, throwIfAborted, isAbortError } from './cache/abort.js';
