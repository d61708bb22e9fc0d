/**
 * The CLI says a fix with the agent's renderFix (the one owner of those words, shared with the
 * web UI): after `Fix:` on stderr, and in --json as `fix` text beside the `fixAction` data.
 */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { VaultError, type Fix } from '@vault/core';
import { renderFix } from '@vault/agent/fix-text';
import { createColors } from '../src/colors.js';
import { errorJson, reportError } from '../src/errors.js';

function stderrOf(error: VaultError): string {
  let text = '';
  const stderr = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
  reportError(error, {
    streams: { stdin: new PassThrough(), stdout: new PassThrough(), stderr, env: {} },
    colors: createColors(false),
    json: false,
  });
  return text;
}

describe('fixes in the CLI', () => {
  it('prints the Fix: line in the shared words', () => {
    const fix: Fix = { action: 'reauth', provider: 'aws', hint: 'with fresh MFA' };
    const printed = stderrOf(new VaultError('REAUTH_REQUIRED', 'The aws session expired.', { fix }));
    expect(printed).toContain('Fix: vaultlink reauth aws (with fresh MFA)\n');
    expect(printed).toContain(`Fix: ${renderFix(fix)}\n`);
  });

  it('--json carries the fix as text (fix) and as data (fixAction), with the message and issues', () => {
    const error = new VaultError('INVALID_LINK', 'Invalid link.', {
      issues: [{ field: 'arn', problem: 'is missing', expected: 'an ARN' }],
      fix: { action: 'relink', provider: 'aws', flags: { arn: 'ARN' } },
    });
    expect(errorJson(error)).toMatchObject({
      code: 'INVALID_LINK',
      message: 'Invalid link.\n  - arn: is missing; expected an ARN',
      fix: 'vaultlink link NAME --provider aws --arn ARN',
      fixAction: { action: 'relink', provider: 'aws', flags: { arn: 'ARN' } },
      issues: [{ field: 'arn' }],
    });
  });
});
