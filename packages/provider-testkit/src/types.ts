/**
 * Inputs to the conformance suite. The suite takes the test runner's functions as
 * arguments (keyv test-suite style), so it never loads a second copy of the runner.
 */
import type { AnyProvider, ProviderFields, Session } from '@vault/core/provider';

/** The runner functions the suite uses; pass vitest's (or any compatible runner's). */
export interface TestApi {
  describe: (name: string, fn: () => void) => void;
  it: (name: string, fn: () => Promise<void> | void, timeoutMs?: number) => void;
  expect: (actual: unknown) => any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the host's own expect, whose matcher types the kit cannot name
  beforeAll?: (fn: () => Promise<void> | void, timeoutMs?: number) => void;
  afterAll?: (fn: () => Promise<void> | void, timeoutMs?: number) => void;
}

/** A link the suite can use, with the value the upstream holds for it. */
export interface LinkFixture {
  fields: ProviderFields;
  /** The exact value a fetch must return. */
  value: string;
}

export interface ConformanceFixtures {
  /** A secret resolved at its latest/current version. */
  latest: LinkFixture;
  /**
   * Required when capabilities.versions: a link pinned to an older version (value = old value),
   * while `latest` of the same secret holds a newer value.
   */
  pinned?: LinkFixture & { latestOfSameSecret: LinkFixture };
  /** A well-formed link to a secret that does not exist upstream. */
  missing: { fields: ProviderFields };
  /** A link the session may not read (real policy denial), with the session that gets denied. */
  denied?: { fields: ProviderFields; session: Session };
  /** Two or more links into one upstream document (e.g. two keys, or two JSON keys). */
  sameDocument: LinkFixture[];
  /** Distinct secrets for the batch test (at least 3; the suite fetches them in one call). */
  distinct: LinkFixture[];
  /** Malformed inputs; each must be rejected with INVALID_LINK naming `field`. */
  invalid: Array<{ fields: ProviderFields; field: string }>;
}

export interface ConformanceOptions {
  /** Shown in the describe() title. */
  name: string;
  /** A fresh provider instance per test (no shared client state between tests). */
  createProvider: () => AnyProvider | Promise<AnyProvider>;
  /** A valid, unexpired session for the fixtures. */
  createSession: (provider: AnyProvider) => Promise<Session>;
  /** Seeds the upstream once (beforeAll) and describes what was seeded. */
  fixtures: () => Promise<ConformanceFixtures>;
  /**
   * Counts upstream read calls made since the last `resetCallCount`, e.g. through a counting
   * proxy, an audit log or SDK middleware. Required for the batch/de-dup group.
   */
  upstreamCalls?: { reset: () => void | Promise<void>; count: () => number | Promise<number> };
  /**
   * A session the upstream rejects as expired/invalid (e.g. revoked token, expired STS creds).
   * The suite expects REAUTH_REQUIRED (never NOT_FOUND).
   */
  expiredSession?: (provider: AnyProvider) => Promise<Session>;
  /**
   * Groups left out where a backend truly cannot do them; say why in the string, and where that
   * behaviour is proved instead. Their tests are not registered, so a run shows no skips.
   */
  skip?: Partial<Record<ConformanceGroup, string>>;
  /** Per-test timeout handed to `it` (slow real peers), also the bound of each read. Default: the runner's. */
  timeoutMs?: number;
  /**
   * For the `lazySdk` group: how to load the built provider in a fresh Node process and what
   * must not load before the first read.
   */
  lazySdk?: LazySdkOptions;
}

export interface LazySdkOptions {
  /** Absolute paths of the built entries to check, e.g. dist/index.js and dist/index.cjs. */
  entries: string[];
  /** npm packages that load only on first use, e.g. `@aws-sdk/client-secrets-manager`. */
  sdkPackages: string[];
  /** Link fields and a JSON session for the first read; the read may fail, it only has to reach the SDK. */
  link: ProviderFields;
  session: Session;
  /** Extra environment for the probe process. */
  env?: Record<string, string>;
}

export type ConformanceGroup =
  'contract' | 'parsing' | 'latest' | 'pinned' | 'notFoundVsDenied' | 'batch' | 'sessionExpiry' | 'cancellation' | 'lazySdk' | 'redaction';
