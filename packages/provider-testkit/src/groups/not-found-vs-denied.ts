/** Group `notFoundVsDenied`: a missing secret is NOT_FOUND; a denied one is ACCESS_DENIED, never NOT_FOUND. */
import type { Harness } from '../harness.js';
import { fetchOutcomeCode } from '../harness.js';
import { check } from './assert.js';

export function notFoundVsDeniedGroup(h: Harness): void {
  h.it('notFoundVsDenied', 'reports a missing secret as NOT_FOUND', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const [code] = await fetchOutcomeCode(h, provider, [provider.parseLink(fixtures.missing.fields)], session);
    check(code === 'NOT_FOUND', `a missing secret must be NOT_FOUND, got ${String(code)}`);
  });

  h.it('notFoundVsDenied', 'reports a denied secret as ACCESS_DENIED, never NOT_FOUND', async () => {
    const fixtures = await h.fixtures();
    check(
      fixtures.denied,
      'fixtures.denied is required (a link plus a session the upstream denies), or skip.notFoundVsDenied with the reason',
    );
    const provider = await h.provider();
    const [code] = await fetchOutcomeCode(h, provider, [provider.parseLink(fixtures.denied.fields)], fixtures.denied.session);
    check(code !== 'NOT_FOUND', 'an access denial must never be reported as NOT_FOUND');
    check(code === 'ACCESS_DENIED', `a denied read must be ACCESS_DENIED, got ${String(code)}`);
  });

  h.it('notFoundVsDenied', 'keeps other links of a batch resolving when one is missing', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const codes = await fetchOutcomeCode(
      h,
      provider,
      [provider.parseLink(fixtures.latest.fields), provider.parseLink(fixtures.missing.fields)],
      session,
    );
    check(codes[0] === 'OK', `the existing secret must still resolve next to a missing one, got ${String(codes[0])}`);
    check(codes[1] === 'NOT_FOUND', `the missing one must be NOT_FOUND, got ${String(codes[1])}`);
  });
}
