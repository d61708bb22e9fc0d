/**
 * A real encrypted vault in a temporary VAULTLINK_HOME (inside the test's scratch directory) (passphrase from the environment,
 * keychain off, cheap KDF), with the in-memory provider connected so secrets can be
 * linked. `env` is what a child process needs to open the same vault and provider.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVault, type AnyProvider, type ProviderIO, type Vault } from '@vault/core';
import { createMemoryProvider, type MemoryDocumentInput, type MemoryProvider } from '@vault/core/testing';

export interface TestVault {
  vault: Vault;
  memory: MemoryProvider;
  /** The test's scratch directory (collections, reports): outside the vault's home, where outputs may go. */
  home: string;
  /** VAULTLINK_HOME, under `home`: vaultlink never writes reports there. */
  vaultHome: string;
  /** VAULTLINK_HOME, VAULTLINK_PASSPHRASE, VAULTLINK_KEYCHAIN=off, the memory seed file, CI unset. */
  env: Record<string, string | undefined>;
  /** A new Vault object over the same file (what a later `vaultlink` process would see). */
  reopen(): Promise<Vault>;
  cleanup(): Promise<void>;
}

export const quietIo: ProviderIO = {
  interactive: false,
  env: {},
  prompt: async () => {
    throw new Error('no prompts in tests');
  },
  openBrowser: async () => undefined,
  info: () => undefined,
  warn: () => undefined,
  progress: () => undefined,
};

export async function createTestVault(
  documents: Record<string, MemoryDocumentInput> = {},
  providers: AnyProvider[] = [],
  /** The vault's clock (core's cache reads it), for expiry tests. */
  options: { now?: () => number } = {},
): Promise<TestVault> {
  const home = await mkdtemp(join(tmpdir(), 'vaultlink-runner-'));
  const vaultHome = join(home, 'vault-home');
  const seedFile = join(home, 'memory-documents.json');
  await writeFile(seedFile, JSON.stringify({ documents }));
  const env: Record<string, string | undefined> = {
    ...process.env,
    VAULTLINK_HOME: vaultHome,
    VAULTLINK_PASSPHRASE: 'correct horse battery staple',
    VAULTLINK_KEYCHAIN: 'off',
    VAULTLINK_MEMORY_PROVIDER_FILE: seedFile,
    CI: '',
  };
  const memory = createMemoryProvider({ documents });
  const open = (create: boolean) =>
    openVault({ env, create, kdf: { N: 1024 }, providers: [memory, ...providers], ...(options.now ? { now: options.now } : {}) });
  const vault = await open(true);
  await vault.connect('memory', {}, quietIo);
  return {
    vault,
    memory,
    home,
    vaultHome,
    env,
    reopen: () => open(false),
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}
