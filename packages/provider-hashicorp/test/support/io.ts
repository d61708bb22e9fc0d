/** A ProviderIO for tests: non-interactive, records messages and the URLs it was asked to open. */
import {
  VaultError,
  type AnyProvider,
  type AuthContext,
  type ProviderFields,
  type ProviderIO,
  type TeamSettings,
} from '@vault/core/provider';

export interface RecordingIO extends ProviderIO {
  readonly messages: string[];
  readonly opened: string[];
}

export function recordingIO(
  options: { env?: Record<string, string | undefined>; onBrowser?: (url: string) => Promise<void> | void } = {},
): RecordingIO {
  const messages: string[] = [];
  const opened: string[] = [];
  return {
    interactive: false,
    env: options.env ?? {},
    messages,
    opened,
    async prompt(question: string): Promise<string> {
      throw new VaultError('INVALID_INPUT', `not interactive: ${question}`);
    },
    async openBrowser(url: string): Promise<void> {
      opened.push(url);
      // Like a browser: the page loads while the CLI waits for the redirect.
      if (options.onBrowser)
        void Promise.resolve(options.onBrowser(url)).catch((error) => messages.push(`browser failed: ${String(error)}`));
    },
    info: (m) => void messages.push(m),
    warn: (m) => void messages.push(`warn: ${m}`),
    progress: () => undefined,
  };
}

/** Runs setup where settings must come back (not the print-only path) and fails the test otherwise. */
export async function setupRecorded(
  provider: AnyProvider,
  fields: ProviderFields,
  io: ProviderIO,
  context: AuthContext,
): Promise<TeamSettings> {
  const settings = await provider.setup!(fields, io, context);
  if (settings === null) throw new Error('setup returned null (nothing recorded) where team settings were expected');
  return settings;
}
