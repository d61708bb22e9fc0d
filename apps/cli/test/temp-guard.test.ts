/**
 * The check that a test run leaves no `vl-*` folder behind (vitest.temp-guard.mjs, the globalSetup
 * of every package): run by hand here, it must fail naming a leftover folder, and still remove it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import setupTempGuard from '../../../vitest.temp-guard.mjs';

describe('the temp-folder guard of test runs', () => {
  it('this run has a private temp folder', () => {
    expect(process.env.VAULTLINK_TEST_TEMP_ROOT).toBeTruthy();
    expect(tmpdir()).toBe(process.env.VAULTLINK_TEST_TEMP_ROOT);
  });

  it('fails on a leftover vl-* folder, naming it, and removes it; passes when tests clean up', async () => {
    const active = process.env.VAULTLINK_TEST_TEMP_ROOT;
    const outer = tmpdir();
    delete process.env.VAULTLINK_TEST_TEMP_ROOT; // a fresh guard, as at the start of a run
    try {
      const teardown = await setupTempGuard();
      const guarded = tmpdir();
      expect(guarded).not.toBe(outer);
      const left = await mkdtemp(join(tmpdir(), 'vl-forgotten-'));
      await expect(teardown()).rejects.toThrow(/left 1 temp folder\(s\) behind: vl-forgotten-/);
      expect(existsSync(left)).toBe(false);
      expect(existsSync(guarded)).toBe(false);
      expect(tmpdir()).toBe(outer);

      const clean = await setupTempGuard();
      await expect(clean()).resolves.toBeUndefined();
    } finally {
      process.env.VAULTLINK_TEST_TEMP_ROOT = active;
    }
  });
});
