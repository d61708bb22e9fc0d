/** The CLI says each fix action as the command to type; errors carry only the data. */
import { describe, expect, it } from 'vitest';
import { FIX_ACTIONS, VaultError, type Fix } from '@vault/core';
import { errorJson } from '../src/errors.js';
import { renderFix } from '../src/fix-text.js';

const examples: Array<[Fix, string]> = [
  [{ action: 'reauth', provider: 'aws' }, 'vaultlink reauth aws'],
  [{ action: 'connect', provider: 'azure', flags: { method: 'device-code' } }, 'vaultlink connect azure --method device-code'],
  [{ action: 'reconnect', provider: 'azure', flags: { tenant: 'contoso.onmicrosoft.com' } }, 'vaultlink disconnect azure, then vaultlink connect azure --tenant contoso.onmicrosoft.com'],
  [{ action: 'disconnect', provider: 'hashicorp', flags: { 'admin-token-stdin': true } }, 'vaultlink disconnect hashicorp --admin-token-stdin'],
  [{ action: 'setup', provider: 'hashicorp' }, 'ask an admin to run `vaultlink setup hashicorp` in this workspace'],
  [{ action: 'relink', provider: 'aws', name: 'db pass', flags: { arn: 'ARN', 'json-key': 'KEY' } }, "vaultlink link 'db pass' --provider aws --arn ARN --json-key KEY"],
  [{ action: 'set', name: 'token' }, 'vaultlink set token VALUE, or vaultlink link token --provider ID ...'],
  [{ action: 'enable', name: 'token' }, 'vaultlink enable token'],
  [{ action: 'remove', name: 'token' }, 'vaultlink rm token'],
  [{ action: 'list' }, 'vaultlink list'],
  [{ action: 'install', package: '@vault/provider-aws' }, 'npm i @vault/provider-aws (or: pnpm add @vault/provider-aws)'],
  [{ action: 'retry', afterSeconds: 30 }, 'retry after 30 s'],
  [{ action: 'unlock' }, 'vaultlink unlock'],
  [{ action: 'agent', command: 'restart', hint: 'so the agent of the installed version starts' }, 'vaultlink agent stop, then vaultlink agent start (so the agent of the installed version starts)'],
  [{ action: 'agent', command: 'start' }, 'vaultlink agent start'],
  [{ action: 'report', package: 'vaultlink-provider-acme' }, 'report it to the authors of vaultlink-provider-acme with the --json output'],
  [{ action: 'manual', text: 'az role assignment create --role "Key Vault Secrets User"' }, 'az role assignment create --role "Key Vault Secrets User"'],
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

describe('errors in --json', () => {
  it('carry the fix as text (fix) and as data (fixAction), with the message and issues', () => {
    const error = new VaultError('INVALID_LINK', 'Invalid link.', { issues: [{ field: 'arn', problem: 'is missing', expected: 'an ARN' }], fix: { action: 'relink', provider: 'aws', flags: { arn: 'ARN' } } });
    expect(errorJson(error)).toMatchObject({
      code: 'INVALID_LINK',
      message: 'Invalid link.\n  - arn: is missing; expected an ARN',
      fix: 'vaultlink link NAME --provider aws --arn ARN',
      fixAction: { action: 'relink', provider: 'aws', flags: { arn: 'ARN' } },
      issues: [{ field: 'arn' }],
    });
  });
});
