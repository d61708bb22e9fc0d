import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { VaultError, findReferences, isUrlAllowed, referenceNames, replaceReferences, type Resolution } from '@vault/core';
import type { CliContext } from '../context.js';
import { renderFix } from '../fix-text.js';
import { readAll } from '../streams.js';

interface ResolveOptions {
  escape?: 'json' | 'none';
  url?: string;
  concurrency?: number;
}

type Unresolved = { name: string; reason: string; code: string; message: string; fix?: string };
// `fix` is the rendered command; the data form goes to --json as `fixAction` of the whole error.

/**
 * `resolve [FILE|-]`: the text with every {{vault:NAME}} replaced, on stdout. All or nothing:
 * if any reference cannot be resolved, stdout stays empty, stderr lists every name with its
 * reason, and the exit code is 4.
 */
export function registerResolve(program: Command, ctx: CliContext): void {
  program
    .command('resolve')
    .description('print FILE (or stdin) with every {{vault:NAME}} replaced; unresolved references fail with exit 4')
    .argument('[file]', 'file to read; - or nothing reads stdin')
    .addOption(
      new Option('--escape <mode>', 'json: escape values for a JSON string (default for *.json files); none: insert as is').choices(['json', 'none']),
    )
    .option('--url <url>', 'treat the text as sent to URL: secrets whose allowed domains do not match it stay unresolved')
    .option('--concurrency <n>', 'upstream requests per provider at once (default: each provider\'s own safe number)', positiveInteger)
    .action(async (file: string | undefined, options: ResolveOptions) => {
      const fromStdin = file === undefined || file === '-';
      if (fromStdin && file === undefined && ctx.streams.stdin.isTTY) {
        throw new VaultError('INVALID_INPUT', 'Nothing to resolve: give a FILE or pipe text on stdin.', {
          issues: [{ field: 'FILE', problem: 'missing, and stdin is a terminal', expected: 'a file path, or - with text piped on stdin' }],
          fix: 'vaultlink resolve request.json',
        });
      }
      const text = fromStdin ? await readAll(ctx.streams.stdin) : await readText(file!);
      const names = referenceNames(findReferences(text, fromStdin ? 'stdin' : file));
      const resolutions = names.length
        ? await ctx.io.withProgress(`Resolving ${names.length} secret(s)`, () =>
            ctx.vault(options.concurrency ? { concurrency: options.concurrency } : {}).then((vault) => vault.resolveNames(names, { onProgress: (done, total) => ctx.io.progress(`Resolving secrets ${done}/${total}`) })),
          )
        : new Map<string, Resolution>();
      const unresolved = names.flatMap((name) => problemOf(name, resolutions.get(name), options.url));
      if (unresolved.length > 0) throw unresolvedError(unresolved);
      const escape = options.escape ?? (file?.toLowerCase().endsWith('.json') ? 'json' : 'none');
      const output = replaceReferences(text, (reference) => {
        const resolution = resolutions.get(reference.name);
        if (!resolution?.ok) return undefined; // cannot happen: every name was checked above
        return escape === 'json' ? JSON.stringify(resolution.value).slice(1, -1) : resolution.value;
      });
      ctx.out(output);
    });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 1024) {
    throw new VaultError('INVALID_INPUT', 'Invalid --concurrency.', {
      issues: [{ field: '--concurrency', problem: `"${value}" is not a whole number from 1 to 1024`, expected: 'a whole number from 1 to 1024, e.g. 16' }],
    });
  }
  return n;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new VaultError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT', `Cannot read ${file}: ${code ?? (error as Error).message}.`, {
      issues: [{ field: 'FILE', problem: code === 'ENOENT' ? 'does not exist' : 'cannot be read', expected: 'a readable text file' }],
      fix: 'check the path, or pipe the text: vaultlink resolve - < FILE',
      cause: error,
    });
  }
}

function problemOf(name: string, resolution: Resolution | undefined, url: string | undefined): Unresolved[] {
  if (!resolution) return [{ name, reason: 'error', code: 'INTERNAL', message: 'no result was returned for this name' }];
  if (!resolution.ok) {
    const entry: Unresolved = { name, reason: resolution.reason, code: resolution.code, message: firstLine(resolution.message) };
    if (resolution.fix) entry.fix = renderFix(resolution.fix);
    return [entry];
  }
  if (url !== undefined && !isUrlAllowed(url, resolution.allowedDomains)) {
    return [
      {
        name,
        reason: 'domain-not-allowed',
        code: 'DOMAIN_NOT_ALLOWED',
        message: `allowed domains (${resolution.allowedDomains.join(', ')}) do not match ${url}`,
        fix: `vaultlink domains ${name} ...`,
      },
    ];
  }
  return [];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function unresolvedError(unresolved: Unresolved[]): VaultError {
  const lines = unresolved.map((u) => `  - ${u.name}: ${u.reason} (${u.code}) ${u.message}`);
  const fixes = [...new Set(unresolved.map((u) => u.fix).filter((f): f is string => Boolean(f)))];
  return new VaultError(
    'UNRESOLVED',
    `${unresolved.length} reference(s) could not be resolved; nothing was written:\n${lines.join('\n')}`,
    { ...(fixes.length ? { fix: fixes.join('; ') } : { fix: 'vaultlink list' }), details: { unresolved } },
  );
}
