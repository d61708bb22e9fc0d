import { describe, expect, it } from 'vitest';
import { VaultError, withDeadline } from '../src/provider.js';

const timeoutError = () => new VaultError('TIMEOUT', 'The sign-in did not finish in time.', { provider: 'acme' });
const never = () => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it("gives the work's value or error when it settles first", async () => {
    await expect(withDeadline(Promise.resolve('done'), { timeoutMs: 10_000, onTimeout: timeoutError })).resolves.toBe('done');
    await expect(withDeadline(Promise.reject(new Error('refused')), { timeoutMs: 10_000, onTimeout: timeoutError })).rejects.toThrow(
      'refused',
    );
  });

  it("fails with the provider's timeout error when the time is up, and calls onStop once", async () => {
    let stops = 0;
    await expect(withDeadline(never(), { timeoutMs: 20, onTimeout: timeoutError, onStop: () => stops++ })).rejects.toMatchObject({
      code: 'TIMEOUT',
      provider: 'acme',
    });
    expect(stops).toBe(1);
  });

  it('fails with ABORTED when the signal aborts, also when it already has', async () => {
    const controller = new AbortController();
    let stops = 0;
    const waiting = withDeadline(never(), { timeoutMs: 10_000, signal: controller.signal, onTimeout: timeoutError, onStop: () => stops++ });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    const custom = () => new VaultError('ABORTED', 'The browser sign-in was cancelled.', { provider: 'acme' });
    await expect(
      withDeadline(never(), { timeoutMs: 10_000, signal: controller.signal, onTimeout: timeoutError, onAbort: custom }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
      message: 'The browser sign-in was cancelled.',
    });
    expect(stops).toBe(1);
  });

  it('a late failure of the work after the deadline is not an unhandled rejection, and onStop does not run when the work wins', async () => {
    let stops = 0;
    let fail!: (error: Error) => void;
    const work = new Promise<never>((_, reject) => (fail = reject));
    await expect(withDeadline(work, { timeoutMs: 10, onTimeout: timeoutError })).rejects.toMatchObject({ code: 'TIMEOUT' });
    fail(new Error('late'));
    await expect(withDeadline(Promise.resolve(1), { timeoutMs: 10, onTimeout: timeoutError, onStop: () => stops++ })).resolves.toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stops).toBe(0);
  });
});
