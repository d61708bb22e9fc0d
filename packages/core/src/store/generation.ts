/**
 * Rollback detection. Every write stores `generation` = previous + 1 in the vault header, which
 * the body's AEAD authenticates, so it cannot be edited without the file failing to open. A copy
 * of an older file (restored from a backup, or put back by someone who can write the home) is
 * still a valid vault, with a lower generation. It is caught by comparing the file's generation
 * with a high-water mark kept somewhere the file copy cannot reach:
 *
 * - this store's memory: the highest generation it read or wrote (a long-lived agent keeps it);
 * - `minGeneration`, a mark the caller kept (the agent passes its own after a restart of the store);
 * - the OS keychain, for keychain-protected vaults: an entry beside the vault key, written after
 *   every commit. Passphrase vaults (CI, servers, `VAULTLINK_KEYCHAIN=off`) have no such place, so
 *   a rollback between two separate processes goes unnoticed there: the documented limit.
 *
 * A lower generation is reported as a warning, not an error: the file is authentic, just old, and
 * refusing it would lock the user out of their own restored backup. The next write continues above
 * the mark, so the mark never goes backwards.
 */
import type { KdfHeader } from './format.js';
import { describeError, type Keychain } from './keychain.js';

export type StoreWarning =
  | {
      code: 'VAULT_ROLLBACK';
      message: string;
      path: string;
      /** The generation in the file. */
      generation: number;
      /** The highest generation known to have been written before. */
      expected: number;
      /** Where that mark came from. */
      markSource: MarkSource;
    }
  | { code: 'VAULT_GENERATION_MARK'; message: string; path: string };

export type MarkSource = 'keychain' | 'this process' | 'caller';

export class GenerationTracker {
  private highest: number;
  private source: MarkSource;
  private keychainChecked = false;
  private warnedAt: number | undefined;
  /** Generation of the file as last read or written (authenticated). */
  current: number | undefined;

  constructor(
    private readonly path: string,
    minGeneration: number,
    private readonly keychain: Keychain,
    private readonly warn: (warning: StoreWarning) => void,
  ) {
    this.highest = minGeneration;
    this.source = 'caller';
  }

  get highWaterMark(): number {
    return this.highest;
  }

  /** Call with each authenticated header read from the file. */
  async observe(generation: number, kdf: KdfHeader): Promise<void> {
    if (!this.keychainChecked && kdf.name === 'keychain') {
      this.keychainChecked = true;
      try {
        const mark = await this.keychain.getMark(kdf.account);
        if (mark !== null) this.raise(mark, 'keychain');
      } catch (error) {
        this.warnMark(
          `could not read its generation mark from the OS keychain (${describeError(error)}), so a rolled-back copy would go unnoticed`,
        );
      }
    }
    this.current = generation;
    if (generation < this.highest) {
      if (this.warnedAt !== generation) {
        this.warnedAt = generation;
        this.warn({
          code: 'VAULT_ROLLBACK',
          message:
            `The vault file ${this.path} is an older copy: its generation is ${generation}, but generation ${this.highest} was already written ` +
            `(${this.source === 'keychain' ? 'recorded in the OS keychain' : this.source === 'caller' ? 'known to the caller' : 'seen by this process'}). ` +
            'Changes made since then are missing from it. If you did not restore a backup, someone may have replaced the file.',
          path: this.path,
          generation,
          expected: this.highest,
          markSource: this.source,
        });
      }
      return;
    }
    this.raise(generation, 'this process');
  }

  /** The generation to write over a file whose generation is `fileGeneration`. */
  next(fileGeneration: number): number {
    return Math.max(fileGeneration, this.highest) + 1;
  }

  /** Call after a commit is known to be kept (still inside the write lock, so marks only grow). */
  async committed(generation: number, kdf: KdfHeader): Promise<void> {
    this.current = generation;
    this.raise(generation, 'this process');
    if (kdf.name !== 'keychain') return;
    try {
      await this.keychain.setMark(kdf.account, generation);
    } catch (error) {
      this.warnMark(`could not store its generation mark in the OS keychain (${describeError(error)}); the change itself was saved`);
    }
  }

  private raise(generation: number, source: MarkSource): void {
    if (generation > this.highest) {
      this.highest = generation;
      this.source = source;
    }
  }

  private warnMark(what: string): void {
    this.warn({ code: 'VAULT_GENERATION_MARK', message: `The vault ${this.path} ${what}.`, path: this.path });
  }
}
