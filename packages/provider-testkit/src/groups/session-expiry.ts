/** Group `sessionExpiry`: an expired/revoked session is REAUTH_REQUIRED, never NOT_FOUND or ACCESS_DENIED. */
import type { Harness } from '../harness.js';
import { fetchOutcomeCode } from '../harness.js';
import { check } from './assert.js';

export function sessionExpiryGroup(h: Harness): void {
  h.it('sessionExpiry', 'answers an expired session with REAUTH_REQUIRED', async () => {
    const fixtures = await h.fixtures();
    check(h.options.expiredSession, 'options.expiredSession is required, or skip.sessionExpiry with the reason');
    const provider = await h.provider();
    const expired = await h.options.expiredSession(provider);
    const codes = await fetchOutcomeCode(h, provider, [provider.parseLink(fixtures.latest.fields)], expired);
    check(codes[0] !== 'NOT_FOUND', 'an expired session must never look like NOT_FOUND');
    check(codes[0] === 'REAUTH_REQUIRED', `an expired session must give REAUTH_REQUIRED, got ${String(codes[0])}`);
  });
}
