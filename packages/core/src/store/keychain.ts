/**
 * The OS keychain as a place to keep the key-encryption key, through @napi-rs/keyring.
 *
 * Only stores that survive a reboot are used: macOS Keychain, Windows Credential Manager, and on
 * Linux the Secret Service (gnome-keyring, KWallet, KeePassXC). The Linux kernel keyring (keyutils),
 * which @napi-rs/keyring would silently fall back to, lives in kernel memory and forgets at reboot,
 * so entries are pinned to `secret-service`. The native module is imported lazily: a missing binary
 * is one more reason to fall back to a passphrase, never a crash at import time.
 */

export interface KeyringEntry {
  setPassword(password: string): Promise<void>;
  getPassword(): Promise<string | null>;
  deletePassword(): Promise<boolean>;
}

export interface KeyringEntryOptions {
  linux?: { store?: 'secret-service' | 'keyutils' };
}

/** The slice of `@napi-rs/keyring` we use (its `AsyncEntry`). Tests inject a fake with this shape. */
export interface KeyringModule {
  AsyncEntry: new (service: string, account: string, options?: KeyringEntryOptions) => KeyringEntry;
}

export type LoadKeyring = () => Promise<KeyringModule>;

export const KEYCHAIN_SERVICE = 'vaultlink';
/** A keychain that does not answer (e.g. waiting on a hidden unlock dialog) is treated as absent. */
const KEYCHAIN_TIMEOUT_MS = 10_000;
const PERSISTENT_KEYCHAIN_PLATFORMS: ReadonlySet<NodeJS.Platform> = new Set(['darwin', 'win32', 'linux']);

export const loadNapiKeyring: LoadKeyring = async () => {
  const mod = (await import('@napi-rs/keyring')) as unknown as Partial<KeyringModule> & { default?: Partial<KeyringModule> };
  const AsyncEntry = mod.AsyncEntry ?? mod.default?.AsyncEntry;
  if (typeof AsyncEntry !== 'function') throw new Error('@napi-rs/keyring has no AsyncEntry export');
  return { AsyncEntry };
};

export class Keychain {
  private module: Promise<KeyringModule> | undefined;

  constructor(
    private readonly load: LoadKeyring = loadNapiKeyring,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /**
   * Writes, reads back and deletes a throw-away entry. Returns null when the keychain works,
   * otherwise the reason it cannot be used (for `vaultlink init` to show).
   */
  async probe(): Promise<string | null> {
    if (!PERSISTENT_KEYCHAIN_PLATFORMS.has(this.platform)) return `no persistent OS keychain is supported on ${this.platform}`;
    const account = `probe-${process.pid}-${Date.now()}`;
    const value = `probe-${Math.random().toString(36).slice(2)}`;
    try {
      const entry = await this.entry(account);
      await withTimeout(entry.setPassword(value), 'storing a probe entry');
      const readBack = await withTimeout(entry.getPassword(), 'reading the probe entry');
      await withTimeout(entry.deletePassword(), 'deleting the probe entry');
      return readBack === value ? null : 'the OS keychain did not return what was stored in it';
    } catch (error) {
      return `the OS keychain is not usable here (${describeError(error)})`;
    }
  }

  async getKey(account: string): Promise<Buffer | null> {
    const stored = await withTimeout((await this.entry(account)).getPassword(), 'reading the vault key');
    return stored === null ? null : Buffer.from(stored, 'base64');
  }

  async setKey(account: string, key: Buffer): Promise<void> {
    const entry = await this.entry(account);
    await withTimeout(entry.setPassword(key.toString('base64')), 'storing the vault key');
    const readBack = await withTimeout(entry.getPassword(), 'reading back the vault key');
    if (readBack !== key.toString('base64')) throw new Error('the OS keychain did not keep the vault key');
  }

  /** A vault's generation high-water mark (see generation.ts); null when none was stored yet. */
  async getMark(account: string): Promise<number | null> {
    const stored = await withTimeout((await this.entry(markAccount(account))).getPassword(), 'reading the vault generation');
    if (stored === null) return null;
    const mark = Number(stored);
    if (!Number.isSafeInteger(mark) || mark < 0)
      throw new Error(`the keychain entry "${KEYCHAIN_SERVICE}/${markAccount(account)}" holds no generation number`);
    return mark;
  }

  async setMark(account: string, generation: number): Promise<void> {
    await withTimeout((await this.entry(markAccount(account))).setPassword(String(generation)), 'storing the vault generation');
  }

  async deleteKey(account: string): Promise<void> {
    await withTimeout((await this.entry(account)).deletePassword(), 'deleting the vault key');
  }

  private async entry(account: string): Promise<KeyringEntry> {
    this.module ??= this.load();
    const { AsyncEntry } = await this.module;
    return new AsyncEntry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } });
  }
}

/** The mark sits beside the vault's key entry: `vault-<id>` → `vault-<id>.generation`. */
export function markAccount(keyAccount: string): string {
  return `${keyAccount}.generation`;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the OS keychain did not answer within ${KEYCHAIN_TIMEOUT_MS / 1000} s while ${what}`)),
      KEYCHAIN_TIMEOUT_MS,
    );
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
