/**
 * Provider flags on the command line. A provider declares its `link`, `connect` and `setup`
 * flags as FlagSpec lists; the CLI turns them into commander options at run time, so a
 * third-party provider needs no CLI change. The provider is only known from argv
 * (`--provider ID` or the PROVIDER argument), so argv is pre-scanned before parsing.
 */
import { Option, type Command } from 'commander';
import {
  IssueList,
  VaultError,
  fieldName,
  readFlagValues,
  validateProvider,
  type AnyProvider,
  type FlagSpec,
  type ProviderFields,
} from '@vault/core';
import { readAll, stripOneTrailingNewline, type CliStreams } from './streams.js';

export type FlagSet = 'link' | 'connect' | 'setup' | 'disconnect';

export { fieldName };

/**
 * The flags of `provider` for one command. `disconnect` takes setup + connect flags (admin token etc.).
 * The flag rules are core's `validateProvider` (the loader already ran it; providers handed in
 * directly are checked here).
 */
export function flagsFor(provider: AnyProvider, set: FlagSet): FlagSpec[] {
  const sets = set === 'disconnect' ? (['setup', 'connect'] as const) : ([set] as const);
  const lists = sets.map((name) => provider.flags[name] ?? []);
  const seen = new Map<string, FlagSpec>();
  for (const list of lists) for (const spec of list) if (!seen.has(spec.name)) seen.set(spec.name, spec);
  const problems = validateProvider(provider).filter((issue) => sets.some((name) => issue.field.startsWith(`flags.${name}.`)));
  if (problems.length > 0) {
    throw new VaultError('INVALID_INPUT', `Provider "${provider.id}" declares flags the CLI cannot offer.`, {
      provider: provider.id,
      issues: problems,
      fix: { action: 'report', hint: `the "${provider.id}" provider package declares these flags` },
    });
  }
  return [...seen.values()];
}

function describeSpec(spec: FlagSpec): string {
  const notes: string[] = [];
  if (spec.choices?.length) notes.push(`one of: ${spec.choices.join(', ')}`);
  // A provider's description may say "repeatable" itself; say it once.
  if (spec.type === 'list' && !/\brepeatable\b/i.test(spec.description)) notes.push('repeatable');
  if (spec.secret) notes.push(`secret: prefer --${spec.name}-stdin`);
  if (spec.env) notes.push(`env: ${spec.env}`);
  return notes.length ? `${spec.description} (${notes.join('; ')})` : spec.description;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds each FlagSpec as a commander option (plus `--<name>-stdin` for secret flags). */
export function registerProviderFlags(command: Command, specs: readonly FlagSpec[], providerId: string): void {
  for (const spec of specs) {
    const placeholder = spec.placeholder ?? spec.name.toUpperCase().replace(/-/g, '_');
    if (spec.type === 'boolean') {
      command.addOption(new Option(`--${spec.name}`, describeSpec(spec)).helpGroup(`${providerId} options:`));
    } else if (spec.type === 'list') {
      command.addOption(
        new Option(`--${spec.name} <${placeholder}>`, describeSpec(spec)).argParser(collect).helpGroup(`${providerId} options:`),
      );
    } else {
      command.addOption(new Option(`--${spec.name} <${placeholder}>`, describeSpec(spec)).helpGroup(`${providerId} options:`));
    }
    if (spec.secret) {
      command.addOption(new Option(`--${spec.name}-stdin`, `read --${spec.name} from stdin`).helpGroup(`${providerId} options:`));
    }
  }
}

export interface CollectedFields {
  fields: ProviderFields;
  /** Secret flags given as argv values: they are in shell history now. */
  secretsOnArgv: string[];
}

/**
 * Reads the parsed options back into ProviderFields: argv first, then `--<name>-stdin`, then
 * the spec's environment variable, with core's rules for the values (`readFlagValues`: empty
 * means absent, yes/no words, lists, choices). Reports every bad value at once.
 * One `--<name>-stdin` flag takes all of stdin (less one trailing newline); several take one line
 * each, in the order the flags appear in `argv`.
 */
export async function collectProviderFields(
  specs: readonly FlagSpec[],
  options: Record<string, unknown>,
  streams: CliStreams,
  argv: readonly string[] = [],
): Promise<CollectedFields> {
  const secretsOnArgv: string[] = [];
  const issues = new IssueList();
  const fromStdin = specs.filter(
    (spec) => spec.secret && options[fieldName(`${spec.name}-stdin`)] === true && options[fieldName(spec.name)] === undefined,
  );
  const stdinValues = fromStdin.length ? await readStdinValues(fromStdin, streams, argv, issues) : new Map<string, string>();
  const given = (spec: FlagSpec) => {
    const value = options[fieldName(spec.name)];
    const stdinFlag = spec.secret && options[fieldName(`${spec.name}-stdin`)] === true;
    if (value !== undefined && spec.secret) secretsOnArgv.push(`--${spec.name}`);
    if (stdinFlag && value !== undefined)
      issues.add(`--${spec.name}`, `given both as a value and with --${spec.name}-stdin`, 'one of the two');
    return { value: value === undefined && stdinFlag ? stdinValues.get(spec.name) : value, field: `--${spec.name}` };
  };
  const fields = readFlagValues(specs, given, streams.env, issues);
  issues.throwIfAny('INVALID_INPUT', 'Invalid provider options.');
  return { fields, secretsOnArgv };
}

/** Commands whose first argument is a provider id (`link` takes it as --provider). */
const PROVIDER_ARGUMENT_COMMANDS = new Set(['connect', 'reauth', 'disconnect', 'setup', 'logout']);
/** Commands whose provider flags are registered before parsing (logout has none). */
const FLAGGED_COMMANDS = new Set(['link', 'connect', 'reauth', 'disconnect', 'setup']);

/** Where argv names the provider: the index of the word holding it, and the prefix before the id (`--provider=`). */
interface ProviderArgument {
  command?: string;
  index?: number;
  prefix?: string;
}

function findProviderArgument(argv: readonly string[]): ProviderArgument {
  const command = positionals(argv)[0];
  if (command === 'link') {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '--') break;
      if ((arg === '--provider' || arg === '-p') && i + 1 < argv.length) return { command, index: i + 1, prefix: '' };
      if (arg.startsWith('--provider=')) return { command, index: i, prefix: '--provider=' };
    }
    return { command };
  }
  if (command !== undefined && PROVIDER_ARGUMENT_COMMANDS.has(command)) {
    const index = firstPositionalAfter(argv, command);
    return index === undefined ? { command } : { command, index, prefix: '' };
  }
  return command === undefined ? {} : { command };
}

/**
 * The values of the `--<name>-stdin` flags in `specs`: all of stdin for one flag, one line per
 * flag for several (in argv order). Problems go to `issues`; their values never do.
 */
async function readStdinValues(
  specs: readonly FlagSpec[],
  streams: CliStreams,
  argv: readonly string[],
  issues: IssueList,
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const text = stripOneTrailingNewline(await readAll(streams.stdin));
  if (specs.length === 1) {
    const [spec] = specs as [FlagSpec];
    if (text === '') issues.add(`--${spec.name}-stdin`, 'stdin was empty', `the ${spec.name} value piped on stdin`);
    else values.set(spec.name, text);
    return values;
  }
  const position = (spec: FlagSpec) => {
    const at = argv.indexOf(`--${spec.name}-stdin`);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  const ordered = [...specs].sort((a, b) => position(a) - position(b));
  const flags = ordered.map((spec) => `--${spec.name}-stdin`).join(', ');
  const lines = text === '' ? [] : text.split(/\r?\n/);
  if (lines.length !== ordered.length) {
    issues.add(
      flags,
      `stdin has ${lines.length} line(s) for ${ordered.length} flags`,
      `one value per line, in the order of the flags (${flags}); or give some through their environment variables (see --help)`,
    );
    return values;
  }
  ordered.forEach((spec, i) => {
    if (lines[i] === '') issues.add(`--${spec.name}-stdin`, `line ${i + 1} of stdin is empty`, `the ${spec.name} value on line ${i + 1}`);
    else values.set(spec.name, lines[i]!);
  });
  return values;
}

/** The command (first non-option word) and its provider id, read from argv before parsing. */
export function prescanProvider(argv: readonly string[]): { command?: string; providerId?: string } {
  const { command, index, prefix = '' } = findProviderArgument(argv);
  if (command === undefined) return {};
  if (!FLAGGED_COMMANDS.has(command) || index === undefined) return { command };
  return { command, providerId: argv[index]!.slice(prefix.length) };
}

/** argv with the provider id replaced by `canonical(id)` (aliases such as `vault` → `hashicorp`). */
export function withCanonicalProvider(argv: readonly string[], canonical: (id: string) => string): string[] {
  const { index, prefix = '' } = findProviderArgument(argv);
  if (index === undefined) return [...argv];
  const copy = [...argv];
  copy[index] = `${prefix}${canonical(argv[index]!.slice(prefix.length))}`;
  return copy;
}

/** Positional words; an option's value is not known here, so only flags before the command word matter (globals are switches). */
function positionals(argv: readonly string[]): string[] {
  return argv.filter((arg) => !arg.startsWith('-'));
}

function firstPositionalAfter(argv: readonly string[], command: string): number | undefined {
  const at = argv.indexOf(command);
  for (let i = at + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return i + 1 < argv.length ? i + 1 : undefined;
    if (!arg.startsWith('-')) return i;
  }
  return undefined;
}

/** A FlagSpec error helper for commands: warns when secret flags were typed on the command line. */
export function warnSecretsOnArgv(secretsOnArgv: readonly string[], warn: (message: string) => void): void {
  if (secretsOnArgv.length === 0) return;
  warn(
    `${secretsOnArgv.join(', ')} given on the command line lands in your shell history and process list; prefer ${secretsOnArgv.map((f) => `${f}-stdin`).join(', ')} or the environment variable.`,
  );
}

/**
 * What to tell a non-interactive user when the provider asks a question: the secret flags
 * they did not give (with their stdin and env forms), then where every flag is listed.
 */
export function promptHint(specs: readonly FlagSpec[], fields: ProviderFields, helpCommand: string): string {
  const missing = specs
    .filter((spec) => spec.secret && fields[fieldName(spec.name)] === undefined)
    .map((spec) => `--${spec.name}-stdin${spec.env ? ` or ${spec.env}` : ''}`);
  const lead = missing.length ? `give ${missing.join(', ')}; ` : 'pass the answer as a flag or its environment variable; ';
  return `${lead}\`${helpCommand} --help\` lists every flag`;
}
