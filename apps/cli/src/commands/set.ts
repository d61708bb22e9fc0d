import type { Command } from 'commander';
import { VaultError, assertSecretName } from '@vault/core';
import type { CliContext } from '../context.js';
import { MAX_INPUT_BYTES, readBytes, utf8Text } from '../input.js';
import { stripOneTrailingNewline } from '../streams.js';
import { domainOption } from './shared.js';

interface SetOptions {
  stdin?: boolean;
  domain?: string[];
  unlink?: boolean;
}

export function registerSet(program: Command, ctx: CliContext): void {
  program
    .command('set')
    .description('store a local secret (prompted with hidden input on a terminal, or piped with --stdin)')
    .argument('<name>', 'secret name, referenced as {{vault:NAME}}')
    .argument('[value]', 'the value (lands in shell history: prefer --stdin or the prompt)')
    .option('--stdin', `read the value from stdin: UTF-8 text, at most ${MAX_INPUT_BYTES / 2 ** 20} MiB (one trailing newline is dropped)`)
    .option('--unlink', 'replace a linked secret with a local value (drops the link; the external vault is not touched)')
    .addOption(domainOption())
    .action(async (name: string, value: string | undefined, options: SetOptions) => {
      // Before asking for the value: nobody should type a secret only to have the name refused.
      assertSecretName(name);
      const vault = await ctx.vault();
      // Checked before the value is asked for: a linked secret never turns local by accident.
      const existing = await vault.entry(name);
      if (existing?.secret.kind === 'linked' && !options.unlink) throw linkedSecretError(name, existing.secret.provider);
      const secret = await readValue(ctx, name, value, options);
      await vault.setLocal(name, secret, options.domain ? { allowedDomains: options.domain } : {});
      const unlinked = existing?.secret.kind === 'linked' ? existing.secret.provider : undefined;
      if (ctx.json)
        ctx.outJson({
          name,
          kind: 'local',
          ...(options.domain ? { allowedDomains: options.domain } : {}),
          ...(unlinked ? { unlinkedFrom: unlinked } : {}),
        });
      ctx.done(unlinked ? `Stored local secret "${name}"; its link to ${unlinked} was dropped.` : `Stored local secret "${name}".`);
    });
}

async function readValue(ctx: CliContext, name: string, value: string | undefined, options: SetOptions): Promise<string> {
  if (value !== undefined && options.stdin) {
    throw new VaultError('INVALID_INPUT', 'Give the value either as an argument or with --stdin, not both.', {
      issues: [{ field: 'VALUE', problem: 'given together with --stdin', expected: 'one value source' }],
      fix: `pipe the value with: vaultlink set ${quoteArg(name)} --stdin`,
    });
  }
  let secret: string;
  if (value !== undefined) {
    ctx.warn('a value given on the command line lands in your shell history and the process list; prefer --stdin or the prompt.');
    secret = value;
  } else if (options.stdin) {
    const bytes = await readBytes(ctx.streams.stdin, {
      field: 'stdin',
      tooLargeFix: 'keep large data outside the vault, and store its location or key instead',
    });
    // Vault values are text: invalid UTF-8 is refused rather than stored as U+FFFD (data loss).
    secret = stripOneTrailingNewline(
      utf8Text(bytes, { field: 'stdin', fix: `store binary data as base64: base64 -w0 FILE | vaultlink set ${quoteArg(name)} --stdin` }),
    );
  } else {
    ctx.io.promptHint = `pipe the value with: vaultlink set ${quoteArg(name)} --stdin`;
    secret = await ctx.io.prompt(`Value for "${name}"`, { secret: true });
  }
  if (secret === '') {
    throw new VaultError('INVALID_INPUT', `The value for "${name}" is empty.`, {
      issues: [{ field: options.stdin ? 'stdin' : 'VALUE', problem: 'is empty', expected: 'a non-empty value' }],
      fix: `give a non-empty value: vaultlink set ${quoteArg(name)}`,
    });
  }
  return secret;
}

function linkedSecretError(name: string, provider: string): VaultError {
  return new VaultError(
    'INVALID_INPUT',
    `"${name}" is linked to ${provider}; set would replace the link with a local value, so nothing was changed.`,
    {
      issues: [
        {
          field: 'NAME',
          problem: `is a secret linked to ${provider}`,
          expected: 'the name of a local secret, or --unlink to replace the link with a local value',
        },
      ],
      fix: `vaultlink set ${quoteArg(name)} --unlink (replaces the link), or vaultlink link ${quoteArg(name)} --provider ${provider} ... to change the link`,
      details: { name, provider },
    },
  );
}

function quoteArg(text: string): string {
  return /^[A-Za-z0-9_.:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
