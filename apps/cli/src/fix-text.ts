/**
 * How the CLI says a fix: errors carry the fix as data (`{ action: 'reauth', provider: 'aws' }`),
 * and this turns it into the command to type (`vaultlink reauth aws`). A web UI renders the
 * same data as a button.
 */
import type { Fix, FixFlags } from '@vault/core';

export function renderFix(fix: Fix): string {
  if (fix.action === 'manual') return fix.text;
  const command = commandFor(fix);
  return fix.hint ? `${command} (${fix.hint})` : command;
}

function commandFor(fix: Exclude<Fix, { action: 'manual' }>): string {
  switch (fix.action) {
    case 'reauth':
      return `vaultlink reauth ${fix.provider}`;
    case 'connect':
      return `vaultlink connect ${fix.provider}${flags(fix.flags)}`;
    case 'reconnect':
      return `vaultlink disconnect ${fix.provider}, then vaultlink connect ${fix.provider}${flags(fix.flags)}`;
    case 'disconnect':
      return `vaultlink disconnect ${fix.provider}${flags(fix.flags)}`;
    case 'setup':
      return `ask an admin to run \`vaultlink setup ${fix.provider}\` in this workspace`;
    case 'relink':
      return `vaultlink link ${fix.name ? quoteArg(fix.name) : 'NAME'} --provider ${fix.provider}${flags(fix.flags)}`;
    case 'set':
      return `vaultlink set ${quoteArg(fix.name)} VALUE, or vaultlink link ${quoteArg(fix.name)} --provider ID ...`;
    case 'enable':
      return `vaultlink enable ${quoteArg(fix.name)}`;
    case 'remove':
      return `vaultlink rm ${quoteArg(fix.name)}`;
    case 'list':
      return 'vaultlink list';
    case 'install':
      return `${fix.reinstall ? 'reinstall it: ' : ''}npm i ${fix.package} (or: pnpm add ${fix.package})`;
    case 'retry':
      return fix.afterSeconds !== undefined ? `retry after ${fix.afterSeconds} s` : 'retry';
    case 'unlock':
      return 'vaultlink unlock';
    case 'agent':
      return fix.command === 'restart' ? 'vaultlink agent stop, then vaultlink agent start' : `vaultlink agent ${fix.command}`;
    case 'report':
      return `report it${fix.package ? ` to the authors of ${fix.package}` : ''} with the --json output`;
  }
}

function flags(given: FixFlags | undefined): string {
  if (!given) return '';
  return Object.entries(given)
    .map(([name, value]) => (value === true ? ` --${name}` : ` --${name} ${quoteArg(value)}`))
    .join('');
}

function quoteArg(value: string): string {
  return /^[\w.@:/=+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
