/** The page's pure pieces: field labels from flag names, issue-to-field matching, routes, secret state. */
import { describe, expect, it } from 'vitest';
import { issueField, issuesFor } from '../src/errors/ErrorView.js';
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
    const error = { code: 'INVALID_LINK', message: 'm', issues: [{ field: '--arn', problem: 'bad', expected: 'ARN' }, { field: 'json-key', problem: 'empty', expected: 'a key' }] };
    expect(issuesFor(error, 'arn').map((i) => i.problem)).toEqual(['bad']);
    expect(issuesFor(error, 'role-arn')).toEqual([]);
  });

  it('reads hash routes, names decoded', () => {
    expect(parseRoute('')).toEqual({ screen: 'secrets' });
    expect(parseRoute('#/secrets/db%2Fprod')).toEqual({ screen: 'secrets', name: 'db/prod' });
    expect(parseRoute('#/integrations/aws/reauth')).toEqual({ screen: 'integrations', name: 'aws', action: 'reauth' });
    expect(parseRoute('#/nowhere')).toEqual({ screen: 'secrets' });
  });

  it('says a link whose provider is not connected is unresolved (disconnected), as `vaultlink list` does', () => {
    const base = { name: 'n', enabled: true, allowedDomains: [], createdAt: '', updatedAt: '' };
    expect(secretState({ ...base, kind: 'linked', provider: 'aws' }, [])).toBe('disconnected');
    expect(secretState({ ...base, kind: 'linked', provider: 'aws' }, ['aws'])).toBe('enabled');
    expect(secretState({ ...base, kind: 'local', enabled: false }, [])).toBe('disabled');
    expect(stateLabel('disconnected')).toBe('Unresolved (disconnected)');
  });
});
