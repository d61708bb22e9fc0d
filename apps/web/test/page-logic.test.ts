/** The page's pure pieces: field labels from flag names, issue-to-field matching, routes, secret state, fixes. */
import { describe, expect, it } from 'vitest';
import { FIX_ACTIONS, type Fix } from '@vault/core';
import { renderFix } from '../../agent/src/shared/fix-text.js';
import { issueField, issuesFor } from '../src/errors/ErrorView.js';
import { fixOffer } from '../src/errors/fix-offer.js';
import { flagLabel } from '../src/forms/labels.js';
import { parseRoute } from '../src/route.js';
import { secretState, stateLabel } from '../src/screens/state.js';

describe('page logic', () => {
  it('labels flags the way people read them', () => {
    expect(flagLabel('role-arn')).toBe('Role ARN');
    expect(flagLabel('oidc-provider-url')).toBe('OIDC provider URL');
    expect(flagLabel('vault-addr')).toBe('Vault address');
    expect(flagLabel('json-key')).toBe('JSON key');
    expect(flagLabel('engine')).toBe('Engine');
  });

  it('matches a provider issue to its field, whatever form the provider named it in', () => {
    for (const field of ['role-arn', '--role-arn', 'roleArn']) expect(issueField({ field, problem: 'x', expected: 'y' })).toBe('role-arn');
    const error = {
      code: 'INVALID_LINK',
      message: 'm',
      issues: [
        { field: '--arn', problem: 'bad', expected: 'ARN' },
        { field: 'json-key', problem: 'empty', expected: 'a key' },
      ],
    };
    expect(issuesFor(error, 'arn').map((i) => i.problem)).toEqual(['bad']);
    expect(issuesFor(error, 'role-arn')).toEqual([]);
  });

  it('reads hash routes, names decoded', () => {
    expect(parseRoute('')).toEqual({ screen: 'secrets' });
    expect(parseRoute('#/secrets/db%2Fprod')).toEqual({ screen: 'secrets', name: 'db/prod' });
    expect(parseRoute('#/integrations/aws/reauth')).toEqual({ screen: 'integrations', name: 'aws', action: 'reauth' });
    expect(parseRoute('#/unlock')).toEqual({ screen: 'unlock' });
    expect(parseRoute('#/nowhere')).toEqual({ screen: 'secrets' });
  });

  it('says a link whose provider is not connected is unresolved (disconnected), as `vaultlink list` does', () => {
    const base = { name: 'n', enabled: true, allowedDomains: [], createdAt: '', updatedAt: '' };
    expect(secretState({ ...base, kind: 'linked', provider: 'aws' }, [])).toBe('disconnected');
    expect(secretState({ ...base, kind: 'linked', provider: 'aws' }, ['aws'])).toBe('enabled');
    expect(secretState({ ...base, kind: 'local', enabled: false }, [])).toBe('disabled');
    expect(stateLabel('disconnected')).toBe('Unresolved (disconnected)');
  });

  it("offers a button for the flows the page starts (reauth, connect, unlock) and always the CLI's words", () => {
    expect(fixOffer({ action: 'reauth', provider: 'aws' })).toEqual({
      text: 'vaultlink reauth aws',
      start: { label: 'Re-Authenticate aws', route: '#/integrations/aws/reauth' },
    });
    expect(fixOffer({ action: 'connect', provider: 'acme/x', flags: { tenant: 'T' } })).toEqual({
      text: 'vaultlink connect acme/x --tenant T',
      start: { label: 'Connect acme/x', route: '#/integrations/acme%2Fx/connect' },
    });
    expect(parseRoute(fixOffer({ action: 'connect', provider: 'acme/x' }).start!.route)).toEqual({
      screen: 'integrations',
      name: 'acme/x',
      action: 'connect',
    });
    expect(fixOffer({ action: 'unlock' })).toEqual({ text: 'vaultlink unlock', start: { label: 'Unlock the vault', route: '#/unlock' } });
    expect(fixOffer({ action: 'relink', provider: 'aws', name: 'db', flags: { arn: 'ARN' } })).toEqual({
      text: 'vaultlink link db --provider aws --arn ARN',
    });
    expect(fixOffer('start it again in the page')).toEqual({ text: 'start it again in the page' });
    // Every action core defines is said in the CLI's words (one renderer for both hosts).
    const samples: Record<string, Fix> = {};
    for (const action of FIX_ACTIONS) samples[action] = sampleFix(action);
    for (const fix of Object.values(samples)) expect(fixOffer(fix).text).toBe(renderFix(fix));
    const buttons = Object.values(samples)
      .filter((fix) => fixOffer(fix).start)
      .map((fix) => fix.action);
    expect(buttons).toEqual(['reauth', 'connect', 'unlock']);
  });
});

function sampleFix(action: Fix['action']): Fix {
  switch (action) {
    case 'manual':
      return { action, text: 'ask your admin' };
    case 'agent':
      return { action, command: 'restart' };
    case 'install':
      return { action, package: 'vaultlink-provider-acme' };
    case 'set':
    case 'enable':
    case 'remove':
      return { action, name: 'token' };
    case 'list':
    case 'retry':
    case 'unlock':
    case 'report':
      return { action };
    default:
      return { action, provider: 'aws' };
  }
}
