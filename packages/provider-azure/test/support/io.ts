/** A ProviderIO that records what the provider said and which URLs it asked to open. */
import type { ProviderIO } from '@vault/core/provider';

export interface RecordingIO extends ProviderIO {
  infos: string[];
  warnings: string[];
  opened: string[];
}

export function recordingIO(
  options: {
    env?: Record<string, string | undefined>;
    interactive?: boolean;
    onOpen?: (url: string) => void | Promise<void>;
  } = {},
): RecordingIO {
  const io: RecordingIO = {
    interactive: options.interactive ?? false,
    // A desktop session by default, so the browser flow is allowed unless a test removes it.
    env: options.env ?? { DISPLAY: ':0' },
    infos: [],
    warnings: [],
    opened: [],
    async prompt() {
      throw new Error('no prompts in tests');
    },
    async openBrowser(url) {
      io.opened.push(url);
      await options.onOpen?.(url);
    },
    info: (message) => void io.infos.push(message),
    warn: (message) => void io.warnings.push(message),
    progress: () => undefined,
  };
  return io;
}
