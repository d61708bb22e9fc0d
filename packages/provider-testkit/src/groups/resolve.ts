/** Groups `latest` and `pinned`: fetch returns the exact upstream values. */
import type { FetchResult } from '@vault/core/provider';
import type { Harness } from '../harness.js';
import { values } from '../harness.js';
import type { ConformanceFixtures } from '../types.js';
import { check, describeValue } from './assert.js';

export function latestGroup(h: Harness): void {
  h.it('latest', 'fetches the latest value of a secret', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const results = await h.fetch(provider, [provider.parseLink(fixtures.latest.fields)], session);
    check(results.length === 1, `fetch of one link must return one result, got ${results.length}`);
    expectValue(results[0], fixtures.latest.value, 'latest', fixtures);
  });

  h.it('latest', 'returns results in the order of the links', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    const order = [...fixtures.distinct].reverse();
    const results = await h.fetch(
      provider,
      order.map((f) => provider.parseLink(f.fields)),
      session,
    );
    order.forEach((f, i) => expectValue(results[i], f.value, `distinct[${fixtures.distinct.length - 1 - i}] (reversed order)`, fixtures));
  });
}

export function pinnedGroup(h: Harness): void {
  h.it('pinned', 'fetches a pinned older version, while latest gives the newer value', async () => {
    const fixtures = await h.fixtures();
    const { provider, session } = await h.connected();
    check(provider.capabilities.versions, 'capabilities.versions is false: leave this group out with skip.pinned and the reason');
    check(fixtures.pinned, 'fixtures.pinned is required when capabilities.versions is true');
    const pinned = fixtures.pinned;
    check(pinned.value !== pinned.latestOfSameSecret.value, 'fixtures.pinned.value must differ from latestOfSameSecret.value');
    const results = await h.fetch(
      provider,
      [provider.parseLink(pinned.fields), provider.parseLink(pinned.latestOfSameSecret.fields)],
      session,
    );
    expectValue(results[0], pinned.value, 'pinned', fixtures);
    expectValue(results[1], pinned.latestOfSameSecret.value, 'pinned.latestOfSameSecret', fixtures);
  });
}

/** Checks one fetch result; `fixtures` supplies the values a failure message must not show. */
export function expectValue(result: FetchResult | undefined, expected: string, label: string, fixtures: ConformanceFixtures): void {
  check(result, `no result for ${label}`);
  check(result.ok, `${label} must resolve, got ${result.ok ? '' : describeValue(result.error, values(fixtures))}`);
  // Never print values: say only that they differ.
  check(
    result.value === expected,
    `${label} resolved to a different value than the fixture (lengths ${result.value.length} vs ${expected.length})`,
  );
}
