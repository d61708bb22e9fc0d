/**
 * The words of every fix action (`Fix:` in the CLI, next to the button in the web UI): errors
 * carry only the data, and this one renderer says it as the command to type.
 */
import { describe, expect, it } from 'vitest';
import { FIX_ACTIONS, type Fix } from '@vault/core';
import { renderFix } from '../dist/fix-text.js';

const examples: Array<[Fix, string]> = [
  [{ action: 'reauth', provider: 'aws' }, 'vaultlink reauth aws'],
  [{ action: 'connect', provider: 'azure', flags: { method: 'device-code' } }, 'vaultlink connect azure --method device-code'],
  [
    { action: 'reconnect', provider: 'azure', flags: { tenant: 'contoso.onmicrosoft.com' } },
    'vaultlink disconnect azure, then vaultlink connect azure --tenant contoso.onmicrosoft.com',
  ],
  [
    { action: 'disconnect', provider: 'hashicorp', flags: { 'admin-token-stdin': true } },
    'vaultlink disconnect hashicorp --admin-token-stdin',
  ],
  [{ action: 'setup', provider: 'hashicorp' }, 'ask an admin to run `vaultlink setup hashicorp` in this workspace'],
  [
    { action: 'relink', provider: 'aws', name: 'db pass', flags: { arn: 'ARN', 'json-key': 'KEY' } },
    "vaultlink link 'db pass' --provider aws --arn ARN --json-key KEY",
  ],
  [{ action: 'set', name: 'token' }, 'vaultlink set token VALUE, or vaultlink link token --provider ID ...'],
  [{ action: 'enable', name: 'token' }, 'vaultlink enable token'],
  [{ action: 'remove', name: 'token' }, 'vaultlink rm token'],
  [{ action: 'list' }, 'vaultlink list'],
  [{ action: 'install', package: '@vault/provider-aws' }, 'npm i @vault/provider-aws (or: pnpm add @vault/provider-aws)'],
  [{ action: 'retry', afterSeconds: 30 }, 'retry after 30 s'],
  [{ action: 'unlock' }, 'vaultlink unlock'],
  [
    { action: 'agent', command: 'restart', hint: 'so the agent of the installed version starts' },
    'vaultlink agent stop, then vaultlink agent start (so the agent of the installed version starts)',
  ],
  [{ action: 'agent', command: 'start' }, 'vaultlink agent start'],
  [{ action: 'report', package: 'vaultlink-provider-acme' }, 'report it to the authors of vaultlink-provider-acme with the --json output'],
  [
    { action: 'manual', text: 'az role assignment create --role "Key Vault Secrets User"' },
    'az role assignment create --role "Key Vault Secrets User"',
  ],
];

describe('renderFix', () => {
  it.each(examples)('%j → %s', (fix, text) => {
    expect(renderFix(fix)).toBe(text);
  });

  it('has an example for every action core defines, and adds a hint in parentheses', () => {
    expect(new Set(examples.map(([fix]) => fix.action))).toEqual(new Set(FIX_ACTIONS));
    expect(renderFix({ action: 'reauth', provider: 'aws', hint: 'with fresh MFA' })).toBe('vaultlink reauth aws (with fresh MFA)');
  });
});
