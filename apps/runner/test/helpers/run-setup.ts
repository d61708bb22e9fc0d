/**
 * What most runner tests start from: a loopback recording server (the API a collection calls) and
 * a temporary vault with local secrets (and memory-provider documents to link), made before the
 * enclosing describe block's tests and removed after them. The block's own beforeAll runs after
 * this one, so it can build collections on `setup.server.origin` and link `setup.testVault`.
 */
import { afterAll, beforeAll } from 'vitest';
import type { MemoryDocumentInput } from '@vault/core/testing';
import { startRecordingServer, type RecordingServer } from './recording-server.js';
import { createTestVault, type TestVault } from './test-vault.js';

export interface RunSetup {
  /** Set once the block's first beforeAll ran. */
  readonly server: RecordingServer;
  readonly testVault: TestVault;
}

export function useRunSetup(options: { locals?: Record<string, string>; documents?: Record<string, MemoryDocumentInput> } = {}): RunSetup {
  const setup = {} as { server: RecordingServer; testVault: TestVault };
  beforeAll(async () => {
    setup.server = await startRecordingServer('127.0.0.1');
    setup.testVault = await createTestVault(options.documents);
    for (const [name, value] of Object.entries(options.locals ?? {})) await setup.testVault.vault.setLocal(name, value);
  });
  afterAll(async () => {
    await setup.server?.close();
    await setup.testVault?.cleanup();
  });
  return setup;
}
