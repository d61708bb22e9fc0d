/**
 * The rules of the provider contract, in one place. The loader, the testkit and the CLI all
 * call `validateProvider`, which returns every problem at once (an empty list means valid).
 */
import { PROVIDER_CONTRACT_VERSION, type FlagSpec } from '../contract.js';
import type { FieldIssue } from '../errors.js';

/** Provider ids: short, lowercase, as typed on the command line (`aws`, `azure-kv`). */
export const PROVIDER_ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const PROVIDER_ID_EXPECTED = 'a short lowercase id of letters, digits and single dashes, starting with a letter, e.g. aws';
/** Flag names: kebab-case without leading dashes. */
export const FLAG_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Flags vaultlink defines itself on link/connect/setup/disconnect; a provider may not declare them. */
export const RESERVED_FLAG_NAMES: readonly string[] = ['provider', 'domain', 'json', 'help', 'browser', 'no-browser', 'color', 'no-color'];

const REQUIRED_METHODS = ['parseLink', 'documentKey', 'summarize', 'authenticate', 'readDocument', 'select', 'describe'] as const;
const OPTIONAL_METHODS = ['linkFlags', 'linkWarnings', 'batchKey', 'refresh', 'signOut', 'readBatch', 'setup', 'teardown'] as const;
const FLAG_TYPES = ['string', 'boolean', 'list'];
const FLAG_SETS = ['link', 'connect', 'setup'] as const;

/** Every way `value` breaks provider contract v2. */
export function validateProvider(value: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, problem: string, expected: string): void => void issues.push({ field, problem, expected });
  if (typeof value !== 'object' || value === null) {
    add(
      'provider',
      `is ${value === null ? 'null' : typeof value}`,
      'a provider object (made with defineProvider from @vault/core/provider)',
    );
    return issues;
  }
  const p = value as Record<string, unknown>;
  if (p['contractVersion'] !== PROVIDER_CONTRACT_VERSION) {
    add(
      'contractVersion',
      `is ${JSON.stringify(p['contractVersion']) ?? 'missing'}`,
      `${PROVIDER_CONTRACT_VERSION} (build the provider with defineProvider from @vault/core/provider)`,
    );
  }
  if (typeof p['id'] !== 'string' || !PROVIDER_ID_PATTERN.test(p['id']))
    add('id', `is ${JSON.stringify(p['id']) ?? 'missing'}`, PROVIDER_ID_EXPECTED);
  if (typeof p['displayName'] !== 'string' || p['displayName'].trim() === '')
    add('displayName', 'is missing or empty', 'a name to show people, e.g. "AWS Secrets Manager"');
  checkCapabilities(p, add);
  checkFlags(p['flags'], add);
  for (const method of REQUIRED_METHODS) {
    if (typeof p[method] !== 'function')
      add(method, 'is not a function', `the ${method} method of provider contract v${PROVIDER_CONTRACT_VERSION}`);
  }
  for (const method of OPTIONAL_METHODS) {
    if (p[method] !== undefined && typeof p[method] !== 'function') add(method, 'is not a function', 'a function, or left out');
  }
  checkAdminManaged(p, add);
  return issues;
}

type Add = (field: string, problem: string, expected: string) => void;

function checkCapabilities(p: Record<string, unknown>, add: Add): void {
  const caps = p['capabilities'];
  if (typeof caps !== 'object' || caps === null) {
    add('capabilities', 'is missing', '{ versions, adminManagedSetup, concurrency, maxBatchSize? }');
    return;
  }
  const c = caps as Record<string, unknown>;
  for (const flag of ['versions', 'adminManagedSetup']) {
    if (typeof c[flag] !== 'boolean') add(`capabilities.${flag}`, `is ${JSON.stringify(c[flag]) ?? 'missing'}`, 'true or false');
  }
  if (!isPositiveInteger(c['concurrency']))
    add(
      'capabilities.concurrency',
      `is ${JSON.stringify(c['concurrency']) ?? 'missing'}`,
      'a positive whole number of upstream calls at once, e.g. 16',
    );
  const batch = p['readBatch'] !== undefined;
  if (batch && !isPositiveInteger(c['maxBatchSize']))
    add(
      'capabilities.maxBatchSize',
      `is ${JSON.stringify(c['maxBatchSize']) ?? 'missing'}`,
      'the positive whole number of documents one readBatch call takes',
    );
  if (!batch && c['maxBatchSize'] !== undefined)
    add('capabilities.maxBatchSize', 'is set without readBatch', 'no maxBatchSize, or a readBatch method');
  if (c['connectWithoutTeam'] !== undefined) {
    if (typeof c['connectWithoutTeam'] !== 'boolean')
      add('capabilities.connectWithoutTeam', `is ${JSON.stringify(c['connectWithoutTeam'])}`, 'true or false, or left out');
    else if (c['connectWithoutTeam'] && c['adminManagedSetup'] !== true)
      add(
        'capabilities.connectWithoutTeam',
        'is set on a provider that is not admin-managed',
        'left out: every connection of such a provider is personal',
      );
  }
}

function checkFlags(flags: unknown, add: Add): void {
  if (typeof flags !== 'object' || flags === null) {
    add('flags', 'is missing', '{ link: FlagSpec[], connect: FlagSpec[], setup?: FlagSpec[] }');
    return;
  }
  const f = flags as Record<string, unknown>;
  if (!Array.isArray(f['link']) || f['link'].length === 0)
    add('flags.link', 'is missing or empty', 'the flags of `vaultlink link` (at least one)');
  if (!Array.isArray(f['connect'])) add('flags.connect', 'is missing', 'the flags of `vaultlink connect` (may be empty)');
  if (f['setup'] !== undefined && !Array.isArray(f['setup'])) add('flags.setup', 'is not a list', 'the flags of `vaultlink setup`');
  for (const set of FLAG_SETS) {
    const list = f[set];
    if (Array.isArray(list)) checkFlagList(set, list as unknown[], add);
  }
  // `disconnect` offers setup and connect flags together, so they must not clash either.
  if (Array.isArray(f['setup']) && Array.isArray(f['connect'])) {
    const setupStdin = new Set((f['setup'] as FlagSpec[]).filter((s) => s?.secret).map((s) => `${s.name}-stdin`));
    for (const spec of f['connect'] as FlagSpec[]) {
      if (setupStdin.has(spec?.name))
        add(`flags.connect.${spec.name}`, 'clashes with the -stdin flag vaultlink adds for a secret setup flag', 'a different name');
    }
  }
}

function checkFlagList(set: string, list: unknown[], add: Add): void {
  const seen = new Set<string>();
  const specs = list.filter((s): s is FlagSpec => typeof s === 'object' && s !== null) as FlagSpec[];
  if (specs.length !== list.length) add(`flags.${set}`, 'holds something that is not a flag spec', 'objects { name, description, type }');
  for (const spec of specs) {
    const field = `flags.${set}.${typeof spec.name === 'string' ? spec.name : '?'}`;
    if (typeof spec.name !== 'string' || !FLAG_NAME_PATTERN.test(spec.name)) {
      add(
        field,
        `name ${JSON.stringify(spec.name)} is not a kebab-case flag name`,
        'lowercase words joined by dashes, without leading dashes, e.g. role-arn',
      );
      continue;
    }
    if (seen.has(spec.name)) add(field, 'is declared twice', 'each flag once');
    seen.add(spec.name);
    if (RESERVED_FLAG_NAMES.includes(spec.name) || (spec.secret && RESERVED_FLAG_NAMES.includes(`${spec.name}-stdin`))) {
      add(field, 'clashes with a flag vaultlink defines itself', `a name other than ${RESERVED_FLAG_NAMES.join(', ')}`);
    }
    if (specs.some((other) => other.secret && `${other.name}-stdin` === spec.name)) {
      add(field, `clashes with the --${spec.name} flag vaultlink adds for a secret flag`, 'a different name');
    }
    if (!FLAG_TYPES.includes(spec.type)) add(field, `type ${JSON.stringify(spec.type)} is unknown`, 'string, boolean or list');
    if (typeof spec.description !== 'string' || spec.description.trim() === '')
      add(field, 'has no description', 'a one-line description for --help');
    if (spec.choices !== undefined && (!Array.isArray(spec.choices) || spec.choices.some((c) => typeof c !== 'string')))
      add(field, 'choices is not a list of strings', 'a list of allowed values');
    if (spec.choices !== undefined && spec.type === 'boolean')
      add(field, 'is a boolean with choices', 'choices only on string or list flags');
    if (spec.env !== undefined && (typeof spec.env !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(spec.env)))
      add(field, `env ${JSON.stringify(spec.env)} is not an environment variable name`, 'an upper-case name such as AWS_REGION');
    if (spec.dryRun !== undefined && (typeof spec.dryRun !== 'boolean' || (spec.dryRun && (set !== 'setup' || spec.type !== 'boolean')))) {
      add(field, 'has dryRun where it means nothing', 'dryRun: true only on a boolean setup flag');
    }
  }
}

function checkAdminManaged(p: Record<string, unknown>, add: Add): void {
  const caps = p['capabilities'] as Record<string, unknown> | undefined;
  if (caps?.['adminManagedSetup'] === true) {
    if (typeof p['setup'] !== 'function') add('setup', 'is missing', 'a setup method: capabilities.adminManagedSetup is true');
    if (typeof p['teardown'] !== 'function') add('teardown', 'is missing', 'a teardown method: capabilities.adminManagedSetup is true');
    if (!Array.isArray((p['flags'] as Record<string, unknown> | undefined)?.['setup']))
      add('flags.setup', 'is missing', 'the flags of `vaultlink setup`: capabilities.adminManagedSetup is true');
  } else if (caps?.['adminManagedSetup'] === false && p['setup'] !== undefined) {
    add('setup', 'is present on a provider that is not admin-managed', 'no setup, or capabilities.adminManagedSetup: true');
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
