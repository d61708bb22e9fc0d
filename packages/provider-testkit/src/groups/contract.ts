/** Group `contract`: the provider meets contract v2, checked by core's own `validateProvider`. */
import { validateProvider } from '@vault/core/provider';
import type { Harness } from '../harness.js';
import { check } from './assert.js';

export function contractGroup(h: Harness): void {
  h.it('contract', 'meets provider contract v2 (validateProvider finds no problem)', async () => {
    const problems = validateProvider(await h.provider());
    check(
      problems.length === 0,
      `validateProvider found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p.field}: ${p.problem}; expected ${p.expected}`).join('\n')}`,
    );
  });

  h.it('contract', 'offers readBatch only with a batch size, and declares a safe concurrency', async () => {
    const p = await h.provider();
    if (p.readBatch)
      check(
        Number.isSafeInteger(p.capabilities.maxBatchSize) && p.capabilities.maxBatchSize! > 1,
        'readBatch needs capabilities.maxBatchSize above 1 (the documents one batch call takes)',
      );
    check(
      p.capabilities.concurrency >= 1 && p.capabilities.concurrency <= 256,
      `capabilities.concurrency ${p.capabilities.concurrency} is outside 1..256`,
    );
  });
}
