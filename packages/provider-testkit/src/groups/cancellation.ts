/** Group `cancellation`: the provider's own calls honour an aborted signal, before any upstream call. */
import type { Harness } from '../harness.js';
import { codeOf, fetchOutcomeCode } from '../harness.js';
import { check } from './assert.js';

const aborted = (): AbortSignal => {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
};

export function cancellationGroup(h: Harness): void {
  h.it('cancellation', 'readDocument (and readBatch) with an aborted signal fail with ABORTED and make no upstream call', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const link = provider.parseLink(fixtures.latest.fields);
    const call = { signal: aborted(), timeoutMs: 5_000 };
    const error = await h.caught(() => provider.readDocument(link, session, call));
    check(error, 'readDocument with an aborted signal must reject');
    check(
      codeOf(error) === 'ABORTED',
      `readDocument with an aborted signal must fail with ABORTED (or an AbortError), got ${String(codeOf(error))}`,
    );
    if (provider.readBatch) {
      const batchError = await h.caught(() => provider.readBatch!([link], session, call));
      check(codeOf(batchError) === 'ABORTED', `readBatch with an aborted signal must fail with ABORTED, got ${String(codeOf(batchError))}`);
    }
    if (h.options.upstreamCalls) {
      const calls = await h.upstreamCount('cancellation');
      check(calls === 0, `an aborted read must not call upstream, but made ${calls} call(s)`);
    }
  });

  h.it('cancellation', 'a read through vaultlink with an aborted signal fails with ABORTED', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const [code] = await fetchOutcomeCode(h, provider, [provider.parseLink(fixtures.latest.fields)], session, aborted());
    check(code === 'ABORTED', `an aborted read must fail with ABORTED, got ${String(code)}`);
  });

  h.it('cancellation', 'describe with an aborted signal fails with ABORTED', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const error = await h.caught(() =>
      provider.describe(provider.parseLink(fixtures.latest.fields), session, { signal: aborted(), timeoutMs: 5_000 }),
    );
    check(error, 'describe with an aborted signal must reject');
    check(codeOf(error) === 'ABORTED', `describe with an aborted signal must fail with ABORTED, got ${String(codeOf(error))}`);
  });
}
