/**
 * The encrypted local vault: `VaultStore` over `<home>/vault.enc`.
 * Reads need no lock (the file is only ever replaced by rename); every write is a
 * read-modify-write under the inter-process lock, committed with an atomic rename.
 * Any failure to read or decrypt stops before a write, so a damaged file is never overwritten.
 * Every read and write first checks that the home is a private directory and that `vault.enc`
 * is a regular file, and nothing in the home is opened through a symbolic link (home-safety.ts).
 */
import { chmod, mkdir } from 'node:fs/promises';
import { VaultError, isVaultError } from '../errors.js';
import { emptyVaultData, type VaultData } from '../model.js';
import { NONCE_LENGTH, newNonce, open, sealWithNonce } from './aead.js';
import { removeOrphanTempFiles, writeFileAtomic } from './atomic-write.js';
import { takePassphraseFromEnv } from './env-passphrase.js';
import { ContainerError, decodeContainer, encodeContainer, encodeHead, type VaultContainer, type VaultHeader } from './format.js';
import { GenerationTracker } from './generation.js';
import { checkHome, vaultFileState } from './home-safety.js';
import {
  assertNewPassphrase,
  createProtection,
  unwrapDataKey,
  wrapWithPassphrase,
  type KeyProtection,
  type KeySources,
} from './key-protection.js';
import { Keychain } from './keychain.js';
import { withVaultLock, type LockGuard } from './lock.js';
import { NotARegularFile, readRegularFile } from './no-follow.js';
import { resolveStoreOptions, type FileStoreOptions, type ResolvedStoreOptions } from './options.js';
import { vaultCorrupt, vaultFileNotRegular, vaultIoError, vaultNotInitialized } from './store-errors.js';
import { vaultDataProblems } from './vault-data.js';
import type { VaultStore } from '../model.js';

export interface FileVaultStore extends VaultStore {
  /** Absolute path of `vault.enc`. */
  readonly path: string;
  /** Its directory (VAULTLINK_HOME). */
  readonly home: string;
  /** What wraps the data key: an OS keychain entry, or a passphrase (scrypt). */
  readonly keyProtection: KeyProtection;
  /** Set by `initFileStore` when the keychain was wanted but unusable, saying why (for the CLI to show). */
  readonly keychainUnavailableReason?: string;
  /** True when this call of `initFileStore` created the file; false when it found a vault and left it unchanged. */
  readonly created: boolean;
  /** Re-wraps the data key under a new passphrase (passphrase-protected vaults only). */
  changePassphrase(newPassphrase: string): Promise<void>;
  /** The data key, base64, for VAULTLINK_KEY (`vaultlink key export`). */
  exportDataKey(): Promise<string>;
  /** Zeroes and drops the data keys this store holds; the next read unwraps again (the agent's lock). */
  forgetKeys(): void;
  /** Generation of the file as this store last read or wrote it (authenticated); undefined before the first read. */
  readonly generation: number | undefined;
  /**
   * The highest generation this store knows the vault reached: its own reads and writes,
   * `minGeneration`, and the OS keychain's mark for keychain vaults. Keep it to pass as
   * `minGeneration` to a later store (a long-lived agent does).
   */
  readonly highWaterMark: number;
  /**
   * The generation in the file's header right now, without decrypting anything: checked against
   * the file's digest but not authenticated. For cheap change detection ("did someone write?");
   * `read()` then authenticates the content and reports a rollback.
   */
  peekGeneration(): Promise<number>;
}

interface ReadState {
  container: VaultContainer;
  dataKey: Buffer;
  plaintext: string;
  data: VaultData;
}

/** Creates the vault. If one exists and opens with the given key sources, returns it unchanged; if it does not open, throws that error. */
export async function initFileStore(options: FileStoreOptions = {}): Promise<FileVaultStore> {
  const resolved = resolveStoreOptions(options);
  await ensureHome(resolved);
  const store = new EncryptedFileStore(resolved);
  if ((await vaultFileState(resolved.home, resolved.path, resolved.homeOrigin)) === 'present') {
    await store.read();
    return store;
  }
  await store.create();
  return store;
}

/** Opens an existing vault and checks that it decrypts. VAULT_NOT_INITIALIZED when there is none. */
export async function openFileStore(options: FileStoreOptions = {}): Promise<FileVaultStore> {
  const resolved = resolveStoreOptions(options);
  if ((await vaultFileState(resolved.home, resolved.path, resolved.homeOrigin)) === 'missing') throw vaultNotInitialized(resolved.path);
  const store = new EncryptedFileStore(resolved);
  await store.read();
  return store;
}

/** Whether there is a vault file; INVALID_CONFIG when the home or the file is unsafe to use. */
export async function vaultExists(options: Pick<FileStoreOptions, 'home' | 'env'> = {}): Promise<boolean> {
  const resolved = resolveStoreOptions(options);
  return (await vaultFileState(resolved.home, resolved.path, resolved.homeOrigin)) === 'present';
}

class EncryptedFileStore implements FileVaultStore {
  readonly path: string;
  readonly home: string;
  keychainUnavailableReason?: string;
  created = false;
  private protection: KeyProtection | undefined;
  private readonly sources: KeySources;
  private readonly generations: GenerationTracker;
  /** Unwrapped data keys by wrapped-key identity, so scrypt runs once per process, not per read. */
  private readonly dataKeys = new Map<string, { dataKey: Buffer; protection: KeyProtection }>();

  constructor(private readonly options: ResolvedStoreOptions) {
    this.path = options.path;
    this.home = options.home;
    this.sources = {
      path: options.path,
      env: options.env,
      prompt: options.prompt,
      keychain: new Keychain(options.loadKeyring),
      ...(options.onKeyDerivation ? { onKeyDerivation: options.onKeyDerivation } : {}),
    };
    this.generations = new GenerationTracker(options.path, options.minGeneration, this.sources.keychain, options.onWarning);
  }

  get generation(): number | undefined {
    return this.generations.current;
  }

  get highWaterMark(): number {
    return this.generations.highWaterMark;
  }

  async peekGeneration(): Promise<number> {
    return decodeOrCorrupt(await this.readFileBytes(), this.path).header.generation;
  }

  get keyProtection(): KeyProtection {
    if (!this.protection)
      throw new VaultError('INTERNAL', 'keyProtection is known only after the vault was opened.', {
        fix: 'open the vault (openFileStore/initFileStore) before reading keyProtection',
      });
    return this.protection;
  }

  async read(): Promise<VaultData> {
    return (await this.readState()).data;
  }

  async update<T>(mutate: (data: VaultData) => T | Promise<T>): Promise<T> {
    await this.checkHomeBeforeLocking();
    return withVaultLock(this.home, this.path, this.options.lockStaleMs, async (guard) => {
      const state = await this.readState();
      // `state.data` was parsed just now, inside the lock: the mutator gets a private, current copy.
      const result = await mutate(state.data);
      const plaintext = serialise(state.data, this.path);
      if (plaintext === state.plaintext) return result;
      const header = this.nextHeader(state.container.header, {});
      await this.commit(sealVault(header, state.container.wrappedKey, state.dataKey, plaintext), guard, header);
      return result;
    });
  }

  async changePassphrase(newPassphrase: string): Promise<void> {
    assertNewPassphrase(newPassphrase, 'passphrase');
    await this.checkHomeBeforeLocking();
    await withVaultLock(this.home, this.path, this.options.lockStaleMs, async (guard) => {
      const state = await this.readState();
      if (state.container.header.kdf.name !== 'scrypt') {
        throw new VaultError('INVALID_INPUT', `The vault ${this.path} is protected by the OS keychain, not by a passphrase.`, {
          issues: [
            {
              field: 'passphrase',
              problem: 'this vault has no passphrase',
              expected: 'a passphrase-protected vault (VAULTLINK_KEYCHAIN=off at init)',
            },
          ],
          fix: 'nothing to change: the OS keychain holds this vault key; to use a passphrase instead, create a new vault with VAULTLINK_KEYCHAIN=off',
        });
      }
      const wrap = await wrapWithPassphrase(state.dataKey, newPassphrase, this.options.scrypt);
      const header = this.nextHeader(state.container.header, {
        kdf: wrap.kdf,
        keyWrap: { alg: 'A256GCM', nonce: wrap.keyWrapNonce.toString('base64') },
      });
      await this.commit(sealVault(header, wrap.wrappedKey, state.dataKey, state.plaintext), guard, header);
      this.remember(header, wrap.wrappedKey, state.dataKey, 'passphrase');
    });
  }

  async exportDataKey(): Promise<string> {
    return (await this.readState()).dataKey.toString('base64');
  }

  forgetKeys(): void {
    for (const known of this.dataKeys.values()) known.dataKey.fill(0);
    this.dataKeys.clear();
    this.protection = undefined;
  }

  /** Writes a brand-new vault. Called by initFileStore once it saw no file. */
  async create(): Promise<void> {
    await withVaultLock(this.home, this.path, this.options.lockStaleMs, async (guard) => {
      // Another process may have created it while we waited for the lock.
      if ((await vaultFileState(this.home, this.path, this.options.homeOrigin)) === 'present') {
        await this.readState();
        return;
      }
      const created = await createProtection(this.sources, { keychain: this.options.keychainMode, scrypt: this.options.scrypt });
      this.keychainUnavailableReason = created.keychainUnavailableReason;
      const header: VaultHeader = {
        kdf: created.kdf,
        keyWrap: { alg: 'A256GCM', nonce: created.keyWrapNonce.toString('base64') },
        body: { alg: 'A256GCM', nonce: '' },
        generation: this.generations.next(0),
      };
      const bytes = sealVault(header, created.wrappedKey, created.dataKey, serialise(emptyVaultData(), this.path));
      try {
        await this.commit(bytes, guard, header);
      } catch (error) {
        // A take-over noticed after the rename leaves our file in place: it still needs its key.
        if (isVaultError(error) && error.details.committed === true) throw error;
        // Otherwise no vault was written, and the keychain entry would only be litter.
        await created.discard().catch((cleanupError: unknown) => {
          throw new AggregateError([error, cleanupError], `creating ${this.path} failed, and so did removing its keychain entry`);
        });
        throw error;
      }
      this.remember(header, created.wrappedKey, created.dataKey, created.protection);
      this.created = true;
    });
  }

  /** The lock itself creates files in the home: refuse an unsafe home before touching it. */
  private async checkHomeBeforeLocking(): Promise<void> {
    await checkHome(this.home, this.options.homeOrigin);
  }

  /** The header of the next write: one generation above both the file and every mark we know. */
  private nextHeader(current: VaultHeader, changes: Partial<VaultHeader>): VaultHeader {
    return { ...current, ...changes, generation: this.generations.next(current.generation) };
  }

  /**
   * Atomic replace, checking the lock is still ours right before the rename and right after it.
   * Then, still holding the lock, the new generation becomes the mark (so marks only grow).
   */
  private async commit(bytes: Buffer, guard: LockGuard, header: VaultHeader): Promise<void> {
    try {
      await guard.assertHeld(false);
      // Holding the lock, any temp file present belongs to a writer that died before its rename.
      await removeOrphanTempFiles(this.home);
      await writeFileAtomic(this.path, bytes, { beforeRename: () => guard.assertHeld(false) });
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw vaultIoError(this.path, 'write', error);
    }
    await guard.assertHeld(true);
    await this.generations.committed(header.generation, header.kdf);
  }

  /** The file's bytes, after the home and file checks; never through a link. */
  private async readFileBytes(): Promise<Buffer> {
    if ((await vaultFileState(this.home, this.path, this.options.homeOrigin)) === 'missing') throw vaultNotInitialized(this.path);
    try {
      return await readRegularFile(this.path);
    } catch (error) {
      // Replaced between the check and the open: the no-follow open still refuses it.
      if (error instanceof NotARegularFile) throw vaultFileNotRegular(this.path, error.kind);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw vaultNotInitialized(this.path);
      throw vaultIoError(this.path, 'read', error);
    }
  }

  private async readState(): Promise<ReadState> {
    const container = decodeOrCorrupt(await this.readFileBytes(), this.path);
    const dataKey = await this.dataKeyFor(container);
    const nonce = Buffer.from(container.header.body.nonce, 'base64');
    if (nonce.length !== NONCE_LENGTH) throw vaultCorrupt(this.path, 'its body nonce has the wrong length');
    const plainBytes = open(dataKey, nonce, container.sealedBody, container.bodyAad);
    // The data key is right (it unwrapped), so a failure here means the header or body was altered.
    if (!plainBytes) throw vaultCorrupt(this.path, 'its contents do not authenticate (the header or the encrypted data was altered)');
    const plaintext = plainBytes.toString('utf8');
    let data: unknown;
    try {
      data = JSON.parse(plaintext);
    } catch {
      // The parser's message may quote decrypted text, which can be a secret: report without it.
      throw vaultCorrupt(this.path, 'its decrypted contents are not valid JSON');
    }
    const problems = vaultDataProblems(data);
    if (problems.length > 0) throw vaultCorrupt(this.path, `its data is not a valid vault: ${summarise(problems)}`);
    await this.generations.observe(container.header.generation, container.header.kdf);
    return { container, dataKey, plaintext, data: data as VaultData };
  }

  private async dataKeyFor(container: VaultContainer): Promise<Buffer> {
    const id = keyIdentity(container.header, container.wrappedKey);
    let known = this.dataKeys.get(id);
    if (!known) {
      known = await unwrapDataKey(container, this.sources);
      this.dataKeys.set(id, known);
      // Unlocked: a passphrase still in the environment (unused by a keychain vault) leaves it too.
      takePassphraseFromEnv(this.sources.env);
    }
    this.protection = known.protection;
    return known.dataKey;
  }

  private remember(header: VaultHeader, wrappedKey: Buffer, dataKey: Buffer, protection: KeyProtection): void {
    this.dataKeys.set(keyIdentity(header, wrappedKey), { dataKey, protection });
    this.protection = protection;
  }
}

/** New body nonce on every call: the same data written twice never gives the same bytes. */
function sealVault(header: VaultHeader, wrappedKey: Buffer, dataKey: Buffer, plaintext: string): Buffer {
  const nonce = newNonce();
  const head = encodeHead({ ...header, body: { alg: 'A256GCM', nonce: nonce.toString('base64') } }, wrappedKey);
  return encodeContainer(head, sealWithNonce(dataKey, nonce, Buffer.from(plaintext, 'utf8'), head));
}

function serialise(data: VaultData, path: string): string {
  const problems = vaultDataProblems(data);
  if (problems.length > 0) {
    throw new VaultError('INTERNAL', `Refusing to write invalid data to the vault ${path}: ${summarise(problems)}. Nothing was written.`, {
      fix: 'this is a vaultlink bug; please report it',
      details: { path, problems },
    });
  }
  return JSON.stringify(data);
}

function keyIdentity(header: VaultHeader, wrappedKey: Buffer): string {
  return `${JSON.stringify(header.kdf)}|${header.keyWrap.nonce}|${wrappedKey.toString('base64')}`;
}

function summarise(problems: string[]): string {
  const shown = problems.slice(0, 5).join('; ');
  return problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown;
}

/** Creates a missing home (0700; chmod too, because the umask may have cleared bits), then checks it. */
async function ensureHome(options: ResolvedStoreOptions): Promise<void> {
  if (await checkHome(options.home, options.homeOrigin)) return;
  try {
    const created = await mkdir(options.home, { recursive: true, mode: 0o700 });
    if (created !== undefined) await chmod(options.home, 0o700);
  } catch (error) {
    throw vaultIoError(options.home, 'create the vault directory', error);
  }
  await checkHome(options.home, options.homeOrigin);
}

function decodeOrCorrupt(bytes: Buffer, path: string): VaultContainer {
  try {
    return decodeContainer(bytes);
  } catch (error) {
    if (error instanceof ContainerError) throw vaultCorrupt(path, error.message);
    throw error;
  }
}
