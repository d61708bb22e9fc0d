/**
 * `@vault/core`: the vault engine, for hosts (the CLI, the runner, an agent or web UI).
 * Every export is named here on purpose: test/public-api.test.ts snapshots this list, so a
 * change to the public surface is a visible diff. Providers import `@vault/core/provider`;
 * tests import the memory provider's switches from `@vault/core/testing`.
 */

// Errors and fixes (data; hosts render them).
export { VaultError, isVaultError, IssueList, ERROR_CODES } from './errors.js';
export type { ErrorCode, FieldIssue, VaultErrorOptions, VaultErrorJSON } from './errors.js';
export { FIX_ACTIONS, isFix } from './fixes.js';
export type { Fix, FixAction, FixFlags } from './fixes.js';

// The provider contract, as hosts see it.
export { PROVIDER_CONTRACT_VERSION } from './contract.js';
export type {
  AnyProvider,
  AuthContext,
  FetchResult,
  FlagSpec,
  LinkSummary,
  Provider,
  ProviderCapabilities,
  ProviderFields,
  ProviderFlags,
  ProviderIO,
  Session,
  TeamSettings,
} from './contract.js';
export { validateProvider, RESERVED_FLAG_NAMES } from './sdk/validate.js';
export { fieldName } from './sdk/fields.js';
export { readFlagValues } from './sdk/flag-values.js';
export type { GivenFlagValue } from './sdk/flag-values.js';

// Loading providers by name.
export {
  loadProvider,
  defaultResolveDirs,
  providerPackageName,
  canonicalProviderId,
  knownProvidersText,
  FIRST_PARTY_PROVIDERS,
  BUILTIN_PROVIDERS,
} from './providers/loader.js';
export type { LoadProviderOptions } from './providers/loader.js';

// The vault facade and how to open it.
export { Vault, MAX_CACHE_EXPIRY_MINUTES } from './vault/vault.js';
export type { VaultOptions } from './vault/vault.js';
export type { CachedValueInfo } from './vault/cache-state.js';
export type { Outcome, ResolveOptions } from './vault/resolve.js';
export { openVault, openVaultWithStore } from './open-vault.js';
export type { OpenVaultOptions, OpenedVault } from './open-vault.js';
export type { VaultApi, Resolution, UnresolvedReason, SecretInfo, IntegrationInfo, SignOutOutcome } from './vault-api.js';
export { resolveText } from './resolve-text.js';
export type { ResolvedText, FailedResolution } from './resolve-text.js';
export { DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS } from './engine/gate.js';
export { REQUEST_TIMEOUT_ENV, TOTAL_TIMEOUT_ENV } from './engine/bounds.js';

// The local vault file and its data.
export {
  initFileStore,
  openFileStore,
  vaultExists,
  defaultVaultHome,
  vaultFilePath,
  VAULT_FILE_NAME,
  DATA_KEY_ENV,
  takePassphraseFromEnv,
} from './store/index.js';
export type {
  FileVaultStore,
  FileStoreOptions,
  StoreWarning,
  KeyProtection,
  KeyringModule,
  KeyringEntry,
  KeyringEntryOptions,
  LoadKeyring,
  ScryptParams,
} from './store/index.js';
export { createMemoryStore } from './memory-store.js';
export type { MemoryVaultStore } from './memory-store.js';
export { emptyVaultData, VAULT_DATA_VERSION, DEFAULT_CACHE_EXPIRY_MINUTES } from './model.js';
export type { VaultData, VaultStore, SecretEntry, LocalSecret, LinkedSecret, Integration, VaultSettings } from './model.js';

// Secret names and references.
export { secretNameProblem, isValidSecretName, assertSecretName, SECRET_NAME_EXPECTED, MAX_SECRET_NAME_LENGTH } from './names.js';
export {
  findReferences,
  scanReferences,
  referenceNames,
  replaceReferences,
  REFERENCE_PREFIX,
  REFERENCE_SUFFIX,
  REFERENCE_EXPECTED,
} from './references/parse.js';
export type { VaultReference, ReferenceProblem, ReferenceScan, ScanStats } from './references/parse.js';
export { findReferencesInBytes, replaceReferencesInBytes, scanReferencesInBytes } from './references/bytes.js';
export {
  findReferencesInJson,
  findReferencesInCollection,
  findReferencesInEnvironment,
  findReferencesInPostmanFile,
  detectPostmanDocument,
} from './references/walk.js';
export type {
  ReferenceContext,
  LocatedReference,
  LocatedProblem,
  WalkResult,
  WalkOptions,
  PostmanDocumentKind,
} from './references/walk.js';

// Allowed domains, masking, team config.
export { isUrlAllowed, normalizeDomains, DOMAIN_EXPECTED } from './domains.js';
export { createMasker, createMaskStream, SecretMasker, DEFAULT_MASK, MIN_SUBSTRING_LENGTH } from './redaction/index.js';
export type { Masker, MaskerOptions, ExtraForms } from './redaction/index.js';
export { readTeamConfig, findTeamConfigPath, TEAM_CONFIG_ENV } from './team-config.js';
export type { TeamConfig, TeamConfigLocation } from './team-config.js';

// Writing user files: where a host may write (never inside VAULTLINK_HOME or over a vault file),
// and the crash-safe replacement the vault itself uses (the runner's import rewrites files with it).
export { outputPathProblem, assertSafeOutputPath, isPathInside } from './output-path.js';
export type { OutputPathOptions } from './output-path.js';
export { writeFileAtomic } from './store/atomic-write.js';
// Link manifests: value-free link definitions shared by a team (`vaultlink links export|sync`).
export { LINKS_MANIFEST_ENV, LINKS_MANIFEST_SCHEMA, LINKS_SCHEMA_FILE, parseLinkManifest } from './manifest/format.js';
export type { LinkManifest, ManifestEntry } from './manifest/format.js';
export { linkManifestPath, readLinkManifest, writeLinkManifest } from './manifest/files.js';
export { exportLinks } from './manifest/export.js';
export type { ExportResult, ManifestChange } from './manifest/export.js';
export { planLinkSync, applyLinkSync } from './manifest/sync.js';
export type { SyncItem, SyncStatus, SyncDifference, SyncOptions } from './manifest/sync.js';
export type { LinkFlags } from './sdk/link-flags.js';
