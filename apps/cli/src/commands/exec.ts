/**
 * `vaultlink exec [--env VAR=SECRET …] [--env-file FILE …] [--no-masking] -- CMD ARGS…`: runs a
 * program with vault secrets in its environment. Every reference is resolved first, through the
 * same engine as `resolve` (cache, batching, one read per document); any unresolved one means
 * the program is not started (exit 4). Allowed domains do not apply: there is no request URL.
 * Values go only into the child's environment object: never into vaultlink's own environment,
 * its argv or its process title. The child's stdout and stderr are masked unless --no-masking.
 */
import type { Command } from 'commander';
import { createMaskStream, MIN_SUBSTRING_LENGTH, SecretMasker, VaultError, type Resolution } from '@vault/core';
import type { CliContext } from '../context.js';
import { asVaultError, reportError } from '../errors.js';
import { runChild } from '../exec/child.js';
import { envPlan, fillEnv } from '../exec/env-plan.js';
import { problemOf, unresolvedError } from '../unresolved.js';

interface ExecOptions {
  env?: string[];
  envFile?: string[];
  masking: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerExec(program: Command, ctx: CliContext): void {
  program
    .command('exec')
    .description('run a program with vault secrets in its environment; its output is masked (no shell is involved)')
    .option('-e, --env <VAR=SECRET>', 'set VAR to the value of the secret SECRET (repeatable)', collect)
    .option(
      '--env-file <file>',
      'dotenv file whose values may hold {{vault:NAME}} references; other lines pass through (repeatable; later files win, --env wins over files)',
      collect,
    )
    .option('--no-masking', "pass the program's stdout and stderr through untouched (needed for binary output)")
    .argument('<command...>', 'the program and its arguments, after --')
    .passThroughOptions()
    .addHelpText(
      'after',
      '\nExample:\n  vaultlink exec --env API_KEY=stripe_key -- sh -c \'curl -H "Authorization: Bearer $API_KEY" https://api.stripe.com/v1/charges\'',
    )
    .action(async (command: string[], options: ExecOptions) => {
      const [program_, ...args] = command;
      if (!program_) {
        throw new VaultError('INVALID_INPUT', 'No program to run.', {
          issues: [
            {
              field: 'COMMAND',
              problem: 'is missing',
              expected: 'a program and its arguments after --, e.g. -- curl https://api.example.com',
            },
          ],
        });
      }
      const plan = await envPlan(options.env ?? [], options.envFile ?? []);
      const resolutions = plan.names.length
        ? await ctx.io.withProgress(`Resolving ${plan.names.length} secret(s)`, async () => (await ctx.vault()).resolveNames(plan.names))
        : new Map<string, Resolution>();
      const unresolved = plan.names.flatMap((name) => problemOf(name, resolutions.get(name), undefined));
      if (unresolved.length > 0) throw unresolvedError(unresolved, `${program_} was not started`);
      const valueOf = (name: string): string => {
        const resolution = resolutions.get(name);
        return resolution?.ok ? resolution.value : '';
      };
      const masker = new SecretMasker(plan.names.map(valueOf));
      if (options.masking)
        warnShortValues(
          ctx,
          plan.names.filter((name) => valueOf(name).length < MIN_SUBSTRING_LENGTH),
        );
      // A fresh object: vaultlink's own process.env never holds a value.
      const env = { ...definedEnv(ctx.env), ...fillEnv(plan, valueOf) };
      try {
        const code = await runChild({
          command: program_,
          args,
          env,
          stdout: ctx.streams.stdout,
          stderr: ctx.streams.stderr,
          ...(options.masking ? { mask: () => createMaskStream(masker) } : {}),
        });
        ctx.setExitCode(code);
      } catch (error) {
        const spawnFailure = asVaultError(error);
        const exitCode = spawnFailure?.details['exitCode'];
        if (typeof exitCode !== 'number') throw error;
        reportError(spawnFailure, { streams: ctx.streams, colors: ctx.colors, json: ctx.json });
        ctx.setExitCode(exitCode);
      }
    });
}

/** Core's masker masks values this short only as whole words: say which secrets (never their values). */
function warnShortValues(ctx: CliContext, names: readonly string[]): void {
  if (names.length === 0) return;
  ctx.warn(
    `${names.join(', ')}: shorter than ${MIN_SUBSTRING_LENGTH} characters, so masked in the program's output only where ${names.length === 1 ? 'it stands' : 'they stand'} as a whole word.`,
  );
}

function definedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
