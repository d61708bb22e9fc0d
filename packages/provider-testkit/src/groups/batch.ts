/** Group `batch`: one fetch call serves many links with few upstream calls, one per document. */
import type { Harness } from '../harness.js';
import { check } from './assert.js';
import { expectValue } from './resolve.js';

export function batchGroup(h: Harness): void {
  h.it('batch', 'reads distinct secrets with at most ceil(n / maxBatchSize) upstream calls (n without readBatch)', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const n = fixtures.distinct.length;
    check(n >= 3, 'fixtures.distinct must hold at least three secrets');
    const results = await h.fetch(
      provider,
      fixtures.distinct.map((f) => provider.parseLink(f.fields)),
      session,
    );
    fixtures.distinct.forEach((f, i) => expectValue(results[i], f.value, `distinct[${i}]`, fixtures));
    const calls = await h.upstreamCount('batch');
    const batch = provider.readBatch !== undefined;
    const limit = batch ? Math.ceil(n / (provider.capabilities.maxBatchSize ?? n)) : n;
    check(calls >= 1, "the upstream counter saw no call: it does not count this provider's reads");
    check(
      calls <= limit,
      `${n} distinct secrets took ${calls} upstream calls; at most ${limit} allowed (${batch ? `readBatch, maxBatchSize ${provider.capabilities.maxBatchSize}` : 'no readBatch: one per document'})`,
    );
  });

  h.it('batch', 'reads a document once for several links into it', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const results = await h.fetch(
      provider,
      fixtures.sameDocument.map((f) => provider.parseLink(f.fields)),
      session,
    );
    fixtures.sameDocument.forEach((f, i) => expectValue(results[i], f.value, `sameDocument[${i}]`, fixtures));
    check(
      h.documentsRead === 1,
      `${fixtures.sameDocument.length} links into one document must be one document read, got ${h.documentsRead} (check documentKey)`,
    );
    const calls = await h.upstreamCount('batch');
    check(calls === 1, `${fixtures.sameDocument.length} links into one document must cause exactly one upstream read, got ${calls}`);
  });

  h.it('batch', 'reads once for the same link repeated in one call', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const link = provider.parseLink(fixtures.latest.fields);
    const results = await h.fetch(provider, [link, link, link], session);
    results.forEach((r, i) => expectValue(r, fixtures.latest.value, `latest (copy ${i + 1})`, fixtures));
    const calls = await h.upstreamCount('batch');
    check(calls === 1, `one link repeated three times must cause one upstream read, got ${calls}`);
  });
}
