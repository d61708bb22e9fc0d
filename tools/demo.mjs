#!/usr/bin/env node
/**
 * `pnpm demo`: the vaultlink CLI at work, with no cloud account. It uses a temporary
 * VAULTLINK_HOME and a demo passphrase, stores a local secret, links two secrets to the
 * built-in in-memory provider's demo data, lists, shows and resolves a request template,
 * shows what an unresolved reference looks like, and deletes everything it created.
 * Every command is printed before it runs. Needs `pnpm build` (the `demo` script does it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'apps', 'cli', 'dist', 'bin.cjs');
if (!existsSync(bin)) {
  console.error(`The CLI is not built (${bin} is missing). Run: pnpm demo  (it builds first), or pnpm build.`);
  process.exit(1);
}

const bold = (text) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${text}\x1b[22m` : text);
const dim = (text) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[2m${text}\x1b[22m` : text);

const workDir = await mkdtemp(join(tmpdir(), 'vaultlink-demo-'));
const env = {
  ...withoutVaultlinkVariables(process.env),
  VAULTLINK_HOME: join(workDir, 'home'),
  // A demo passphrase for a throwaway vault. Real use: your own, or the OS keychain.
  VAULTLINK_PASSPHRASE: 'demo-passphrase-for-a-throwaway-vault',
  // Never touch the OS keychain of the machine running the demo.
  VAULTLINK_KEYCHAIN: 'off',
};

function withoutVaultlinkVariables(source) {
  return Object.fromEntries(Object.entries(source).filter(([key]) => !key.startsWith('VAULTLINK_')));
}

function say(text) {
  console.log(`\n${bold(text)}`);
}

/** Runs `vaultlink ...args`, printing the command line first; returns { code, stdout, stderr }. */
function vaultlink(args, { input, inputShownAs, expectCode = 0, showStdout = true } = {}) {
  const shown = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  const pipe = input === undefined ? '' : `printf %s ${inputShownAs ?? `'${input}'`} | `;
  console.log(`${dim('$')} ${pipe}vaultlink ${shown}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: workDir, env, input: input ?? '', encoding: 'utf8' });
  if (result.error) throw result.error;
  if (showStdout && result.stdout) process.stdout.write(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`);
  if (result.stderr) process.stdout.write(dim(result.stderr.replace(/^/gm, '  ').replace(/\s+$/, '') + '\n'));
  if (result.status !== expectCode) {
    throw new Error(`vaultlink ${args[0]} exited ${result.status}, expected ${expectCode}`);
  }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Replaces each value with a fixed label: no prefix, no length, nothing to guess from. */
function mask(text, valuesByName) {
  let masked = text;
  for (const [name, value] of valuesByName) masked = masked.split(value).join(`[value of ${name}]`);
  return masked;
}

let failed = false;
try {
  console.log(bold('vaultlink demo') + ` — a throwaway vault in ${workDir}`);
  console.log(dim(`VAULTLINK_HOME=${env.VAULTLINK_HOME}  VAULTLINK_PASSPHRASE=(demo passphrase)  VAULTLINK_KEYCHAIN=off`));

  say('1. Create the encrypted local vault');
  vaultlink(['init']);

  say('2. Store a local secret, allowed only for api.stripe.example (https)');
  // A made-up value; the printed command shows it as a variable, the way you would pass a real one.
  vaultlink(['set', 'stripe_key', '--stdin', '--domain', 'api.stripe.example'], {
    input: 'sk_demo_made_up_value_0000',
    inputShownAs: '"$STRIPE_KEY"',
  });

  say('3. Connect the built-in in-memory provider (demo data, no cloud account) and link two secrets to it');
  vaultlink(['connect', 'memory']);
  vaultlink([
    'link',
    'payments_key',
    '--provider',
    'memory',
    '--path',
    'demo/payments',
    '--key',
    'api_key',
    '--domain',
    '*.payments.example',
  ]);
  vaultlink(['link', 'search_token', '--provider', 'memory', '--path', 'demo/search-token']);

  say('4. List and inspect (never shows values)');
  vaultlink(['list']);
  vaultlink(['show', 'payments_key']);

  say('5. Resolve a request template');
  const template = join(workDir, 'request.http');
  await writeFile(
    template,
    [
      'POST https://api.payments.example/v1/charges',
      'Authorization: Bearer {{vault:payments_key}}',
      'X-Search-Token: {{vault:search_token}}',
      'X-Stripe-Key: {{vault:stripe_key}}',
      'X-Request-Id: {{requestId}}',
      '',
    ].join('\n'),
  );
  console.log(dim(`  request.http:`));
  console.log(dim(`    Authorization: Bearer {{vault:payments_key}}  ...`));
  const resolved = vaultlink(['resolve', template], { showStdout: false });
  // The demo knows its own demo values; it masks them so the habit shown is the safe one.
  const values = ['payments_key', 'search_token', 'stripe_key'].map((name) => [
    name,
    vaultlink(['get', name], { showStdout: false }).stdout,
  ]);
  console.log(
    dim('  stdout, with the values masked by this demo (vaultlink resolve itself writes the real values, e.g. for `| curl -H @-`):'),
  );
  process.stdout.write(mask(resolved.stdout, values).replace(/^/gm, '    ').replace(/\s+$/, '') + '\n');
  if (resolved.stdout.includes('{{vault:')) throw new Error('resolve left a vault reference in its output');
  console.log(dim('  {{requestId}} is not a vault reference, so it is left for your HTTP tool.'));

  say('6. An unresolved reference fails loudly: nothing on stdout, the name and the reason on stderr, exit 4');
  vaultlink(['disable', 'search_token']);
  vaultlink(['resolve', template], { expectCode: 4 });

  say('7. Disconnecting keeps the links; their references become unresolved (reason: disconnected)');
  vaultlink(['enable', 'search_token']);
  vaultlink(['disconnect', 'memory']);
  vaultlink(['resolve', '-'], { input: 'token={{vault:payments_key}}', expectCode: 4 });
} catch (error) {
  failed = true;
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await rm(workDir, { recursive: true, force: true });
  console.log(`\n${dim(`Removed ${workDir}.`)}${failed ? '' : ' Done: see apps/cli/README.md for every command.'}`);
}
process.exit(failed ? 1 : 0);
