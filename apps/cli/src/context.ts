import type { AnyProvider, VaultApi } from '@vault/core';
import type { AgentMode } from './agent-env.js';
import type { Colors } from './colors.js';
import { CliIO } from './io.js';
import { json as toJson } from './output.js';
import type { CliStreams } from './streams.js';
import { loadCliProvider, openCliVault, initCliVault, type InitResult } from './vault.js';

/** Everything a command needs: streams, output helpers, the vault (opened on first use). */
export class CliContext {
  readonly io: CliIO;
  /** Exit code for a command that finished but must still report a failure (e.g. `show` with upstream down). */
  exitCode = 0;
  /** True once the vault opened is the agent's (set by openCliVault). */
  viaAgent = false;
  /** Called when opening the vault in-process has started the passphrase KDF (see runDelegated). */
  onKeyDerivation: (() => void) | undefined;
  /** The command line as parsed (aliases resolved), for flags whose order matters (several --<name>-stdin). */
  argv: readonly string[] = [];
  private vaultPromise: Promise<VaultApi> | undefined;

  constructor(
    readonly streams: CliStreams,
    readonly colors: Colors,
    /** `--json`: data as JSON on stdout, errors as JSON on stderr. */
    readonly json: boolean,
    /** Whether commands go through the agent (VAULTLINK_AGENT, `--no-agent`). */
    readonly agentMode: AgentMode = 'auto',
  ) {
    this.io = new CliIO({ streams, colors });
  }

  get env(): Readonly<Record<string, string | undefined>> {
    return this.streams.env;
  }

  /** Data for stdout. */
  out(text: string): void {
    this.streams.stdout.write(text);
  }

  outJson(value: unknown): void {
    this.streams.stdout.write(toJson(value));
  }

  /** A message for people, on stderr. */
  info(message: string): void {
    this.io.info(message);
  }

  warn(message: string): void {
    this.io.warn(message);
  }

  /** Confirmation of a change, on stderr (stdout stays clean for scripts). */
  done(message: string): void {
    this.io.info(`${this.colors.green('✔')} ${message}`);
  }

  setExitCode(code: number): void {
    this.exitCode = code;
  }

  /** The provider named on the command line, once loaded (handed to the vault so it loads once). */
  readonly loadedProviders: AnyProvider[] = [];

  /** The vault, opened on first use; `concurrency` (upstream requests per provider) applies when this call opens it. */
  vault(options: { concurrency?: number } = {}): Promise<VaultApi> {
    this.vaultPromise ??= openCliVault(this, this.loadedProviders, options);
    return this.vaultPromise;
  }

  initVault(): Promise<InitResult> {
    return initCliVault(this);
  }

  async loadProvider(id: string): Promise<AnyProvider> {
    const provider = await loadCliProvider(id, this.env);
    this.loadedProviders.push(provider);
    return provider;
  }
}
