/** Group `cancellation`: an aborted signal stops the work before any upstream call. */
import type { Harness } from '../harness.js';
import { codeOf, fetchOutcomeCode } from '../harness.js';
import { check } from './assert.js';

export function cancellationGroup(h: Harness): void {
  h.it('cancellation', 'fetch with an already-aborted signal fails with ABORTED and makes no upstream call', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const controller = new AbortController();
    controller.abort();
    const [code] = await fetchOutcomeCode(h, provider, [provider.parseLink(fixtures.latest.fields)], session, controller.signal);
    check(code === 'ABORTED', `an aborted fetch must fail with ABORTED (or an AbortError), got ${String(code)}`);
    if (h.options.upstreamCalls) {
      const calls = await h.upstreamCount('cancellation');
      check(calls === 0, `an aborted fetch must not call upstream, but made ${calls} call(s)`);
    }
  });

  h.it('cancellation', 'describe with an already-aborted signal fails with ABORTED', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const controller = new AbortController();
    controller.abort();
    const error = await h.caught(() => provider.describe(provider.parseLink(fixtures.latest.fields), session, { signal: controller.signal }));
    check(error, 'describe with an aborted signal must reject');
    check(codeOf(error) === 'ABORTED', `describe with an aborted signal must fail with ABORTED, got ${String(codeOf(error))}`);
  });
}
