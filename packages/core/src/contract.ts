/**
 * The provider contract (version 1). A provider is a plain object; the CLI, the runner
 * and the testkit only ever talk to external vaults through it. Third parties implement
 * it in their own package and `@vault/provider-testkit` checks them.
 */
import type { VaultError } from './errors.js';

export const PROVIDER_CONTRACT_VERSION = 1 as const;

/** What a provider can do; apps read these instead of special-casing provider ids. */
export interface ProviderCapabilities {
  /** Links may pin a version of the upstream secret. */
  versions: boolean;
  /** `fetch` reads several documents with one upstream call when it can. */
  batch: boolean;
  /** Settings come from the team config written by `vaultlink setup`; members only authenticate. */
  adminManagedSetup: boolean;
  /** Largest number of documents one upstream batch call takes, when `batch` is true. */
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
  /** Allowed values, shown in help and checked by the provider. */
  choices?: string[];
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
  signal?: AbortSignal;
}

export interface FetchOptions {
  signal: AbortSignal;
  /** Per upstream request timeout in ms; on expiry the provider fails with PROVIDER_UNAVAILABLE or TIMEOUT. */
  timeoutMs?: number;
}

/** Per-link outcome of a fetch, in the same order as the links passed in. */
export type FetchResult =
  | { ok: true; value: string; /** The upstream version actually read. */ version?: string }
  | { ok: false; error: VaultError };

/** A link shown in `list`/`show` without any network call. */
export interface LinkSummary {
  /** The identifier the user typed: ARN, secret URI, `mount/path#key`. */
  identifier: string;
  /** Pinned version, or undefined for latest/current. */
  version?: string;
  /** Other non-secret fields worth showing, e.g. role ARN, JSON key. */
  extra?: Record<string, string>;
}

export interface Provider<Link extends object = object, Data = unknown> {
  readonly contractVersion: typeof PROVIDER_CONTRACT_VERSION;
  /** Short id used on the command line and in links: `aws`, `azure`, `hashicorp`. */
  readonly id: string;
  readonly displayName: string;
  readonly capabilities: ProviderCapabilities;
  readonly flags: { link: FlagSpec[]; connect: FlagSpec[]; setup?: FlagSpec[] };

  /**
   * Validates user input into a typed, JSON-serializable link. Throws VaultError INVALID_LINK
   * listing every bad field with the expected form. Pure: no network.
   */
  parseLink(fields: ProviderFields): Link;
  /** Non-fatal remarks about a valid link (e.g. "host is not a known Key Vault domain"). */
  linkWarnings?(link: Link): string[];
  /** Links with the same document key are served by one upstream read. */
  documentKey(link: Link): string;
  summarize(link: Link): LinkSummary;

  /** Signs in. Returns a serializable session. Interactive steps go through `io`. */
  authenticate(fields: ProviderFields, io: ProviderIO, context: AuthContext): Promise<Session<Data>>;
  /** Renews a session without a person (refresh token, renewable lease). Throws REAUTH_REQUIRED when it cannot. */
  refresh?(session: Session<Data>, context: AuthContext): Promise<Session<Data>>;
  /**
   * Drops a member's own session upstream where that means something: revokes credentials the
   * provider created itself (a token from a login). Credentials the user brought (a token they
   * pasted) must not be revoked: return `{ revoked: false, note }` saying so. Returning nothing
   * means the credentials were revoked.
   */
  signOut?(session: Session<Data>): Promise<SignOutResult | void>;

  /**
   * Reads values for a batch of links. Returns one result per link, same order.
   * Must make at most one upstream read per distinct documentKey within one call,
   * must honour `signal`, and must map auth failures to ACCESS_DENIED / REAUTH_REQUIRED,
   * never to NOT_FOUND. Error messages never contain values.
   */
  fetch(links: readonly Link[], session: Session<Data>, options: FetchOptions): Promise<FetchResult[]>;
  /** Metadata about the linked secret without its value (versions, dates, tags). */
  describe(link: Link, session: Session<Data>, options: FetchOptions): Promise<Record<string, unknown>>;

  /**
   * Admin-managed providers: validates and returns team settings (may configure the upstream, e.g. `--bootstrap`).
   * Returns null when there is nothing to record yet (e.g. it only printed the commands an admin runs by hand).
   */
  setup?(fields: ProviderFields, io: ProviderIO, context: AuthContext): Promise<TeamSettings | null>;
  /** Admin-managed providers: checks admin rights before the team integration is removed. */
  teardown?(team: TeamSettings, fields: ProviderFields, io: ProviderIO): Promise<void>;
}

/** Any provider, whatever its link and session types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProvider = Provider<any, any>;
