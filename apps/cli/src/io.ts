import type { Ora } from 'ora';
import { VaultError, type ProviderIO } from '@vault/core';
import type { Colors } from './colors.js';
import { askOnTerminal } from './prompt.js';
import type { CliStreams } from './streams.js';

export interface CliIOOptions {
  streams: CliStreams;
  colors: Colors;
  /** `--no-browser`: print sign-in URLs instead of opening them. */
  noBrowser?: boolean;
  /** Where a non-interactive user finds the flag or variable that answers a prompt. */
  promptHint?: string;
}

export function isCI(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** A browser can only open where there is a person and (on Linux/BSD) a display. */
function canOpenBrowser(env: Readonly<Record<string, string | undefined>>): boolean {
  if (isCI(env)) return false;
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * ProviderIO for the terminal: prompts and messages on stderr (stdout is data only),
 * hidden input for secrets, a spinner during network waits only when stderr is a TTY.
 */
export class CliIO implements ProviderIO {
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  private readonly spinnerEnabled: boolean;
  private spinner: Ora | undefined;
  /** What the spinner shows while it should run; undefined when it should not. */
  private spinnerText: string | undefined;
  private spinnerLoading = false;
  /** Prompts (and other writers) in progress: the spinner must not draw over them. */
  private holds = 0;

  constructor(private readonly options: CliIOOptions) {
    const { stdin, stderr, env } = options.streams;
    this.env = env;
    this.interactive = Boolean(stdin.isTTY && stderr.isTTY) && !isCI(env);
    this.spinnerEnabled = Boolean(stderr.isTTY) && !isCI(env);
  }

  /** The hint shown when a prompt cannot be asked (command-specific). */
  set promptHint(hint: string | undefined) {
    this.options.promptHint = hint;
  }

  set noBrowser(value: boolean) {
    this.options.noBrowser = value;
  }

  get noBrowser(): boolean {
    return this.options.noBrowser === true;
  }

  async prompt(question: string, options: { secret?: boolean; default?: string } = {}): Promise<string> {
    if (!this.interactive) {
      const hint = this.options.promptHint ?? 'pass the value with a flag or its environment variable (see --help)';
      throw new VaultError(
        'INVALID_INPUT',
        `vaultlink needs an answer to "${question}" but there is no terminal to ask on (stdin/stderr are not TTYs, or CI is set).`,
        {
          issues: [{ field: question, problem: 'needs an answer and cannot be prompted for', expected: hint }],
          fix: hint,
        },
      );
    }
    // The spinner stays off for the whole question, so typing echoes on the prompt's own line.
    return this.paused(() => askOnTerminal(this.options.streams, question, options));
  }

  async openBrowser(url: string): Promise<void> {
    this.stopSpinner();
    const { stderr } = this.options.streams;
    if (this.options.noBrowser || !this.interactive || !canOpenBrowser(this.env)) {
      stderr.write('Open this URL in a browser to continue:\n');
      stderr.write(`${url}\n`);
      return;
    }
    try {
      const { default: open } = await import('open');
      await open(url, { wait: false });
      stderr.write('Opened your browser. If it did not open, visit:\n');
      stderr.write(`${url}\n`);
    } catch (error) {
      this.warn(`Could not open a browser (${error instanceof Error ? error.message : String(error)}). Open this URL yourself:`);
      stderr.write(`${url}\n`);
    }
  }

  info(message: string): void {
    this.paused(() => this.options.streams.stderr.write(`${message}\n`));
  }

  warn(message: string): void {
    const { colors } = this.options;
    this.paused(() => this.options.streams.stderr.write(`${colors.yellow('warning:')} ${message}\n`));
  }

  progress(message: string): void {
    if (!this.spinnerEnabled) return;
    this.spinnerText = message;
    if (this.spinner) {
      this.spinner.text = message;
      return;
    }
    if (this.holds === 0 && !this.spinnerLoading) {
      this.spinnerLoading = true;
      this.startSpinner().then(
        () => (this.spinnerLoading = false),
        (error: unknown) => {
          this.spinnerLoading = false;
          this.options.streams.stderr.write(
            `warning: progress spinner unavailable: ${error instanceof Error ? error.message : String(error)}\n`,
          );
        },
      );
    }
  }

  /** Runs `fn` with a spinner showing `message` (only on a TTY), always stopping it afterwards. */
  async withProgress<T>(message: string, fn: () => Promise<T>): Promise<T> {
    this.progress(message);
    try {
      return await fn();
    } finally {
      this.stopSpinner();
    }
  }

  stopSpinner(): void {
    this.spinner?.stop();
    this.spinner = undefined;
    this.spinnerText = undefined;
  }

  private async startSpinner(): Promise<void> {
    // ora is only loaded when a TTY will actually show it.
    const { default: ora } = await import('ora');
    // Stopped, or a prompt began, while ora was loading: it starts when the prompt is answered.
    if (this.spinnerText === undefined || this.spinner || this.holds > 0) return;
    this.spinner = ora({
      text: this.spinnerText,
      stream: this.options.streams.stderr,
      color: this.colorsOn() ? 'cyan' : false,
      discardStdin: false, // prompts may follow; ora must not grab stdin
      isEnabled: true,
    }).start();
  }

  private colorsOn(): boolean {
    return this.options.colors.isColorSupported;
  }

  /**
   * Hides the spinner while something else writes to the terminal (a message, a prompt until it
   * is answered), then shows it again if it is still wanted. A spinner still loading stays hidden.
   */
  private paused<T>(fn: () => T): T {
    this.holds++;
    this.spinner?.stop();
    this.spinner = undefined;
    const release = (): void => {
      this.holds--;
      if (this.holds === 0 && this.spinnerText !== undefined) this.progress(this.spinnerText);
    };
    let result: T;
    try {
      result = fn();
    } catch (error) {
      release();
      throw error;
    }
    if (result instanceof Promise) return result.finally(release) as T;
    release();
    return result;
  }
}
