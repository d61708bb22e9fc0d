import { Option, type Command } from 'commander';
import { VaultError, findReferencesInBytes, referenceNames, replaceReferencesInBytes, type Resolution } from '@vault/core';
import type { CliContext } from '../context.js';
import { MAX_INPUT_BYTES, readBytes, readFileBytes } from '../input.js';
import { problemOf, unresolvedError } from '../unresolved.js';

interface ResolveOptions {
  escape?: 'json' | 'none';
  url?: string;
  concurrency?: number;
}

// `fix` is the rendered command; the data form goes to --json as `fixAction` of the whole error.

const TOO_LARGE_FIX = 'resolve a smaller file: split it, or keep large data out of the text that holds the references';

/**
 * `resolve [FILE|-]`: the input with every {{vault:NAME}} replaced, on stdout. It works on bytes:
 * references are ASCII, and every other byte passes through unchanged (binary and non-UTF-8 input
 * included). All or nothing: if any reference cannot be resolved, stdout stays empty, stderr lists
 * every name with its reason, and the exit code is 4.
 */
export function registerResolve(program: Command, ctx: CliContext): void {
  program
    .command('resolve')
    .description('print FILE (or stdin) with every {{vault:NAME}} replaced; unresolved references fail with exit 4')
    .argument('[file]', `file to read (at most ${MAX_INPUT_BYTES / 2 ** 20} MiB); - or nothing reads stdin`)
    .addOption(
      new Option(
        '--escape <mode>',
        'json: escape values for a JSON string (default when the input is a JSON document, or a *.json file); none: insert as is',
      ).choices(['json', 'none']),
    )
    .option('--url <url>', 'treat the text as sent to URL: secrets whose allowed domains do not match it stay unresolved')
    .option('--concurrency <n>', "upstream requests per provider at once (default: each provider's own safe number)", positiveInteger)
    .action(async (file: string | undefined, options: ResolveOptions) => {
      const fromStdin = file === undefined || file === '-';
      if (fromStdin && file === undefined && ctx.streams.stdin.isTTY) {
        throw new VaultError('INVALID_INPUT', 'Nothing to resolve: give a FILE or pipe text on stdin.', {
          issues: [{ field: 'FILE', problem: 'missing, and stdin is a terminal', expected: 'a file path, or - with text piped on stdin' }],
          fix: 'vaultlink resolve request.json',
        });
      }
      const input = fromStdin
        ? await readBytes(ctx.streams.stdin, { field: 'stdin', tooLargeFix: TOO_LARGE_FIX })
        : await readFileBytes(file!, { field: 'FILE', tooLargeFix: TOO_LARGE_FIX });
      const names = referenceNames(findReferencesInBytes(input, fromStdin ? 'stdin' : file));
      const resolutions = names.length
        ? await ctx.io.withProgress(`Resolving ${names.length} secret(s)`, () =>
            ctx
              .vault(options.concurrency ? { concurrency: options.concurrency } : {})
              .then((vault) =>
                vault.resolveNames(names, { onProgress: (done, total) => ctx.io.progress(`Resolving secrets ${done}/${total}`) }),
              ),
          )
        : new Map<string, Resolution>();
      const unresolved = names.flatMap((name) => problemOf(name, resolutions.get(name), options.url));
      if (unresolved.length > 0) throw unresolvedError(unresolved, 'nothing was written');
      const escape = options.escape ?? (file?.toLowerCase().endsWith('.json') || isJsonDocument(input) ? 'json' : 'none');
      const output = replaceReferencesInBytes(input, (reference) => {
        const resolution = resolutions.get(reference.name);
        if (!resolution?.ok) return undefined; // cannot happen: every name was checked above
        return escape === 'json' ? JSON.stringify(resolution.value).slice(1, -1) : resolution.value;
      });
      ctx.streams.stdout.write(output);
    });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 1024) {
    throw new VaultError('INVALID_INPUT', 'Invalid --concurrency.', {
      issues: [
        {
          field: '--concurrency',
          problem: `"${value}" is not a whole number from 1 to 1024`,
          expected: 'a whole number from 1 to 1024, e.g. 16',
        },
      ],
    });
  }
  return n;
}

/**
 * Whether the input is a JSON document (an object or array that parses), whatever its file name:
 * then every reference sits inside a JSON string, and values must be escaped to keep it valid.
 * A template with bare references (`"port": {{vault:port}}`) does not parse, and gets values as they are.
 */
function isJsonDocument(input: Buffer): boolean {
  let start = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? 3 : 0;
  while (start < input.length && (input[start] === 0x20 || input[start] === 0x09 || input[start] === 0x0a || input[start] === 0x0d))
    start += 1;
  if (input[start] !== 0x7b && input[start] !== 0x5b) return false;
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input));
    return true;
  } catch {
    return false;
  }
}
