/**
 * A VaultStore kept in memory, for tests and embedding. Like the file store, `update`
 * runs mutators one at a time on a fresh copy and commits only when the mutator succeeds.
 */
import { emptyVaultData, type VaultData, type VaultStore } from './model.js';

export interface MemoryVaultStore extends VaultStore {
  /** Number of committed updates (tests use it to check that reads do not write). */
  readonly writes: number;
}

export function createMemoryStore(initial: VaultData = emptyVaultData()): MemoryVaultStore {
  let data = structuredClone(initial);
  let writes = 0;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    get writes() {
      return writes;
    },
    async read() {
      await tail.catch(() => undefined); // a failed update changed nothing; read the committed state
      return structuredClone(data);
    },
    update<T>(mutate: (data: VaultData) => T | Promise<T>): Promise<T> {
      const run = tail
        .catch(() => undefined)
        .then(async () => {
          const draft = structuredClone(data);
          const result = await mutate(draft);
          data = structuredClone(draft);
          writes++;
          return result;
        });
      tail = run;
      return run;
    },
  };
}
