/**
 * The provider contract (version 2). A provider holds only what is unique to its vault:
 * parsing links, signing in, reading documents and selecting a value from a document.
 * Core does the rest once for every provider: de-duplication by document, chunking by
 * `maxBatchSize`, concurrency limits, throttling, cancellation and time bounds.
 * Third parties build one with `defineProvider` from `@vault/core/provider`, and
 * `@vault/provider-testkit` checks it.
 */
import type { VaultError } from './errors.js';

export const PROVIDER_CONTRACT_VERSION = 2 as const;

/** What a provider can do; apps read these instead of special-casing provider ids. */
export interface ProviderCapabilities {
  /** Links may pin a version of the upstream secret. */
  versions: boolean;
  /** Settings come from the team config written by `vaultlink setup`; members only authenticate. */
  adminManagedSetup: boolean;
  /** Upstream calls of this provider in flight at once that its vault handles safely. `defineProvider` default: 16. */
  concurrency: number;
  /** Largest number of documents one `readBatch` call takes (required with `readBatch`). */
  maxBatchSize?: number;
  /**
   * Admin-managed providers only: members may also connect on their own when the workspace has no
   * team settings for the provider (a personal connection, e.g. a Vault token and an address).
   * `authenticate` then gets no `team` and must say what it needs. @default false
   */
  connectWithoutTeam?: boolean;
}

/**
 * A command-line flag a provider accepts for `link`, `connect` or `setup`. The CLI turns
 * these into real flags, so a third-party provider needs no CLI change.
 * The field name in `ProviderFields` is the camelCase of `name` (`role-arn` → `roleArn`).
 */
export interface FlagSpec {
  /** Long flag without dashes, kebab-case: `role-arn`. */
  name: string;
  description: string;
  /** `string` takes one value, `list` may repeat, `boolean` is a switch. */
  type: 'string' | 'boolean' | 'list';
  /** The value is secret: the CLI also accepts `--<name>-stdin` and prompts with hidden input, never echoes it. */
  secret?: boolean;
  /** Allowed values, shown in help and checked by the field readers. */
  choices?: readonly string[];
  /** Environment variable that supplies the value when the flag is absent. */
  env?: string;
  /** Shown in help as the value's placeholder, e.g. `ARN`. */
  placeholder?: string;
  /**
   * `setup` flags only, booleans: with this switch on, `setup` changes nothing upstream (it prints
   * or checks). Such a run is allowed when the team config already sets the provider up; a
   * non-null result is still refused then, so nothing is overwritten.
   */
  dryRun?: boolean;
}

/** Raw user input for link/connect/setup, keyed by camelCase flag name. */
/** Flag values by flag name (kebab-case), as `vaultlink link` takes them and a link manifest holds them. */
export type LinkFlags = Record<string, string | true | string[]>;

export type ProviderFields = Record<string, string | boolean | string[] | undefined>;

/** How a provider talks to the person (or CI) running it. Messages go to stderr; stdout is data only. */
export interface ProviderIO {
  /** True when a person can answer prompts (stdin and stderr are TTYs and CI is not set). */
  readonly interactive: boolean;
  /** The user asked for URLs to be printed instead of a browser being opened (`--no-browser`). */
  readonly noBrowser?: boolean;
  /** Environment to read (`process.env` in the CLI; tests pass their own). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Asks a question. Throws INVALID_INPUT when not interactive. `secret` hides the echo. */
  prompt(question: string, options?: { secret?: boolean; default?: string }): Promise<string>;
  /** Opens the system browser, or prints the URL on its own line on stderr when that is not possible or not wanted. */
  openBrowser(url: string): Promise<void>;
  info(message: string): void;
  warn(message: string): void;
  /** Short status for a spinner during network waits (a no-op when not on a TTY). */
  progress(message: string): void;
}

/**
 * What `authenticate` returns and core stores encrypted in the local vault.
 * `data` must be JSON-serializable; it may hold credentials, never fetched secret values.
 */
export interface Session<Data = unknown> {
  provider: string;
  /** The organization this session belongs to (tenant, account, Vault namespace+issuer); one per provider. */
  organization: string;
  /** Human summary: `account 123456789012 (arn:aws:iam::123456789012:user/alice)`. */
  principal: string;
  /** ISO time; null when the credentials do not expire by themselves. */
  expiresAt: string | null;
  /** ISO time the session was created. */
  createdAt: string;
  data: Data;
}

/** What `signOut` did upstream. */
export interface SignOutResult {
  /** True when the credentials were revoked upstream; false when they were only forgotten locally. */
  revoked: boolean;
  /** For the user, e.g. why the credentials were not revoked and how to revoke them by hand. Never a secret. */
  note?: string;
}

/** Settings written by `vaultlink setup <provider>` into the team config (admin-managed providers). */
export type TeamSettings = Record<string, unknown>;

export interface AuthContext {
  /** Team settings for admin-managed providers (from `.vaultlink/team.json` or VAULTLINK_TEAM_CONFIG). */
  team?: TeamSettings;
  /** The session being renewed, on `reauth`. */
  previous?: Session;
  /** On `refresh` and `setup`: aborts when the call's total time is up (see CallOptions). */
  signal?: AbortSignal;
  /** On `refresh` and `setup`: timeout of one upstream request, in ms (see CallOptions). */
  timeoutMs?: number;
}

/** What core hands to every upstream call of a provider. */
export interface CallOptions {
  /**
   * Aborts when the caller cancels or when the call's total time (retries included) is up.
   * Pass it to every request; core also stops waiting for a call that ignores it.
   */
  signal: AbortSignal;
  /** Timeout of one upstream request (one attempt), in ms: give it to the SDK or HTTP client. */
  timeoutMs: number;
}

/** One document's read outcome, in `readBatch`. */
export type DocumentResult<Doc> = { ok: true; document: Doc } | { ok: false; error: VaultError };

/** A link's value, selected from its document. */
export interface Selected {
  value: string;
  /** The upstream version actually read. */
  version?: string;
}

/** Per-link outcome of a read through core, in the order of the links. */
export type FetchResult = { ok: true; value: string; version?: string } | { ok: false; error: VaultError };

/** A link shown in `list`/`show` without any network call. */
export interface LinkSummary {
  /** The identifier the user typed: ARN, secret URI, `mount/path#key`. */
  identifier: string;
  /** Pinned version, or undefined for latest/current. */
  version?: string;
  /** Other non-secret fields worth showing, e.g. role ARN, JSON key. */
  extra?: Record<string, string>;
}

export interface ProviderFlags {
  link: readonly FlagSpec[];
  connect: readonly FlagSpec[];
  setup?: readonly FlagSpec[];
}

export interface Provider<Link extends object = object, Data = unknown, Doc = unknown> {
  readonly contractVersion: typeof PROVIDER_CONTRACT_VERSION;
  /** Short id used on the command line and in links: `aws`, `azure`, `hashicorp`. */
  readonly id: string;
  readonly displayName: string;
  readonly capabilities: ProviderCapabilities;
  readonly flags: ProviderFlags;

  /**
   * Validates user input into a typed, JSON-serializable link. Throws VaultError INVALID_LINK
   * listing every bad field with the expected form. Pure: no network.
   */
  parseLink(fields: ProviderFields): Link;
  /**
   * The `vaultlink link` flags that make `link` again, for a provider whose links are not the
   * camelCase of its link flags (Azure keeps the parts of `--id`). Link manifests and relink
   * fixes use it; core checks that `parseLink` of the result gives the same link back.
   * Default: the link's fields read as flags.
   */
  linkFlags?(link: Link): LinkFlags;
  /** Non-fatal remarks about a valid link (e.g. "host is not a known Key Vault domain"). */
  linkWarnings?(link: Link): string[];
  /** Links with the same document key are served by one upstream read. */
  documentKey(link: Link): string;
  /**
   * With `readBatch`: documents with the same batch key may share one batch call (e.g. the
   * same credentials and region). Default: every document may join any batch.
   */
  batchKey?(link: Link): string;
  summarize(link: Link): LinkSummary;

  /** Signs in. Returns a serializable session. Interactive steps go through `io`. */
  authenticate(fields: ProviderFields, io: ProviderIO, context: AuthContext): Promise<Session<Data>>;
  /** Renews a session without a person (refresh token, renewable lease). Throws REAUTH_REQUIRED when it cannot. */
  refresh?(session: Session<Data>, context: AuthContext): Promise<Session<Data>>;
  /**
   * Drops a member's own session upstream where that means something: revokes credentials the
   * provider created itself (a token from a login). Credentials the user brought (a token they
   * pasted) must not be revoked: return `{ revoked: false, note }` saying so. Returning nothing
   * means the credentials were revoked. Bounded in time like every upstream call (`options`).
   */
  signOut?(session: Session<Data>, options: CallOptions): Promise<SignOutResult | void>;

  /**
   * Reads one document; `link` is the first link of that document (by `documentKey`).
   * Throws VaultError: auth failures are ACCESS_DENIED / REAUTH_REQUIRED, never NOT_FOUND.
   * The document stays in memory only; error messages never contain values.
   */
  readDocument(link: Link, session: Session<Data>, options: CallOptions): Promise<Doc>;
  /**
   * Vaults with a multi-document read (e.g. AWS BatchGetSecretValue): reads up to
   * `capabilities.maxBatchSize` documents, one link each, with one upstream call.
   * Returns one result per link, same order. A batch refused as a whole with ACCESS_DENIED is
   * read again document by document with `readDocument`, so each document gets its own answer.
   */
  readBatch?(links: readonly Link[], session: Session<Data>, options: CallOptions): Promise<DocumentResult<Doc>[]>;
  /**
   * Picks the link's value from its document. Pure: no network. Throws VaultError (KEY_NOT_FOUND, UNSUPPORTED_VALUE, ...).
   * A provider that lists `JSON_POINTER_FLAG` among its link flags gets `jsonPointer` on its links
   * (core's field, parsed by `defineProvider`): core applies it to the value `select` returns.
   */
  select(link: Link, document: Doc): Selected;
  /** Metadata about the linked secret without its value (versions, dates, tags). */
  describe(link: Link, session: Session<Data>, options: CallOptions): Promise<Record<string, unknown>>;

  /**
   * Admin-managed providers: validates and returns team settings (may configure the upstream, e.g. `--bootstrap`).
   * Returns null when there is nothing to record yet (e.g. it only printed the commands an admin runs by hand).
   * Bounded in time like every upstream call (`context.signal`, `context.timeoutMs`), so it must
   * not wait for a person: take what it needs from flags.
   */
  setup?(fields: ProviderFields, io: ProviderIO, context: AuthContext): Promise<TeamSettings | null>;
  /** Admin-managed providers: checks admin rights before the team integration is removed. Bounded like `setup` (`options`). */
  teardown?(team: TeamSettings, fields: ProviderFields, io: ProviderIO, options: CallOptions): Promise<void>;
}

/** Any provider, whatever its link, session and document types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- unknown would refuse concrete providers (parameters are contravariant)
export type AnyProvider = Provider<any, any, any>;
