/**
 * `vaultlink run COLLECTION [options]` and the `vaultlink-run` bin: newman's flags (same
 * names, same meaning) plus `--fail-on-unresolved` and `--allow-script-vault`. Returns
 * newman's exit code: 0 when everything passed, 1 otherwise.
 */
import { Command, CommanderError, Option } from 'commander';
import { asPrintableError, printVaultError } from './print-error.js';
import { loadNewmanCliUtil } from '../engine/postman-modules.js';
import { streamMessages } from '../messages.js';
import { run, type RunOptions } from '../run.js';
import { EXIT_FAILED, EXIT_OK, type CommandContext } from './command-context.js';
import { collect, collectKeyValue, commaList, milliseconds, positiveInteger } from './parse-values.js';

const REPORTER_PREFIX = '--reporter-';

function buildProgram(context: Required<Pick<CommandContext, 'stdout' | 'stderr'>>): Command {
  return new Command('vaultlink run')
    .description("Run a Postman collection with vault secrets ({{vault:NAME}}, pm.vault), with newman's flags and reporters.")
    .argument('<collection>', 'path or URL of a Postman collection v2.1')
    .option('-e, --environment <path>', 'path or URL of a Postman environment')
    .option('-g, --globals <path>', 'path or URL of a Postman globals file')
    .option('-d, --iteration-data <path>', 'JSON or CSV file with one row per iteration')
    .option('-n, --iteration-count <n>', 'number of iterations', positiveInteger)
    .option('--folder <name>', 'run only this folder or request (by name or id); repeatable', collect)
    .option('--env-var <key=value>', 'set an environment variable; repeatable', collectKeyValue)
    .option('--global-var <key=value>', 'set a global variable; repeatable', collectKeyValue)
    .option(
      '-r, --reporters <names>',
      'comma-separated reporters: cli, json, junit, htmlextra, progress, emojitrain or an installed newman-reporter-*',
      commaList,
      ['cli'],
    )
    .option('--timeout <ms>', 'timeout of the whole run', milliseconds)
    .option('--timeout-request <ms>', 'timeout of each request', milliseconds)
    .option('--timeout-script <ms>', 'timeout of each script', milliseconds)
    .option('--delay-request <ms>', 'delay between requests', milliseconds)
    .option('--bail [modifiers]', 'stop at the first failure; modifiers: folder, failure', commaList)
    .option('-k, --insecure', 'do not verify TLS certificates')
    .option('--ignore-redirects', 'do not follow 3xx redirects')
    .option('-x, --suppress-exit-code', 'exit 0 even when the run failed')
    .option('--silent', 'no newman output')
    .option('--disable-unicode', 'plain-text symbols in the cli reporter')
    .addOption(new Option('--color <mode>', 'colored output').choices(['auto', 'on', 'off']).default('auto'))
    .option('--verbose', 'show each request and response in detail (values masked)')
    .option('--working-dir <path>', "directory file uploads are read from (default: the collection's directory)")
    .option('--insecure-file-read', 'allow file uploads from outside the working directory (never from VAULTLINK_HOME, /proc, /dev, /sys)')
    .option('--no-insecure-file-read', 'refuse file uploads from outside the working directory (the default)')
    .option('--fail-on-unresolved', 'fail before sending anything when a vault reference cannot be resolved (default when CI=true)')
    .option('--no-fail-on-unresolved', 'send unresolved references literally, with a warning, even in CI')
    .option('--allow-script-vault', "let this collection's scripts use pm.vault (get; set/unset of local secrets)")
    .option(
      '--concurrency <n>',
      "upstream requests per provider at once while resolving (default: each provider's own safe number)",
      positiveInteger,
    )
    .addHelpText(
      'after',
      "\nReporter options use newman's form: --reporter-json-export FILE, --reporter-junit-export FILE, --reporter-htmlextra-export FILE, --reporter-<name>-<option> VALUE.\n" +
        'Exit codes (as newman): 0 all passed; 1 a request, script or assertion failed, or the run could not start.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (text) => void context.stdout.write(text), writeErr: (text) => void context.stderr.write(text) });
}

export async function runCommand(argv: string[], context: CommandContext = {}): Promise<number> {
  const stdout = context.stdout ?? process.stdout;
  const stderr = context.stderr ?? process.stderr;
  const util = loadNewmanCliUtil();
  const program = buildProgram({ stdout, stderr });
  try {
    await program.parseAsync(util.omitNestedOptions(argv, REPORTER_PREFIX), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_FAILED;
    throw error;
  }
  const flags = program.opts();
  const reporters = (flags['reporters'] as string[] | undefined) ?? ['cli'];
  const nested = util.parseNestedOptions(argv, REPORTER_PREFIX, reporters);
  const { _generic: generic, ...perReporter } = nested;
  const reporter = Object.fromEntries(Object.entries(perReporter).map(([name, value]) => [name, { ...value, ...generic }]));

  const options: RunOptions = {
    collection: program.args[0] as string,
    reporters,
    reporter,
    reporterOptions: generic,
    env: context.env ?? process.env,
    messages: streamMessages(stderr, context.env ?? process.env),
    ...(context.openVault ? { vault: context.openVault } : {}),
    ...(context.renderFix ? { renderFix: context.renderFix } : {}),
    ...pick(flags, [
      'environment',
      'globals',
      'iterationData',
      'iterationCount',
      'folder',
      'envVar',
      'globalVar',
      'timeout',
      'timeoutRequest',
      'timeoutScript',
      'delayRequest',
      'bail',
      'insecure',
      'ignoreRedirects',
      'silent',
      'disableUnicode',
      'color',
      'verbose',
      'workingDir',
      'insecureFileRead',
      'failOnUnresolved',
      'allowScriptVault',
      'concurrency',
    ]),
  };
  try {
    const summary = await run(options);
    return summary.vaultlink.exitCode === 0 || flags['suppressExitCode'] ? EXIT_OK : EXIT_FAILED;
  } catch (error) {
    // Every failure gets its code and its Fix line; the exit code stays newman's.
    const printable = asPrintableError(error);
    if (context.printError) context.printError(printable);
    else printVaultError(printable, stderr, context.renderFix);
    return EXIT_FAILED;
  }
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}
