/**
 * A provider's ProviderIO inside the agent, carried to the client that made the request:
 * prompts and browser opening run where the person is (the CLI's terminal today, a web page
 * later) and their answers come back; info, warn and progress are passed on. The provider
 * sees the client's environment, as it would in-process.
 */
import type { ProviderIO } from '@vault/core';
import type { IoCall, IoContext } from '../shared/protocol.js';

/** How a request reaches its client: `ask` waits for the answer, `tell` does not. */
export interface IoChannel {
  ask(call: Extract<IoCall, 'prompt' | 'openBrowser'>, args: unknown[]): Promise<unknown>;
  tell(call: Extract<IoCall, 'info' | 'warn' | 'progress'>, message: string): void;
}

export function remoteIO(context: IoContext, channel: IoChannel): ProviderIO {
  return {
    interactive: context.interactive === true,
    noBrowser: context.noBrowser === true,
    env: Object.freeze({ ...(context.env ?? {}) }),
    async prompt(question, options = {}) {
      const answer = await channel.ask('prompt', [question, options]);
      return typeof answer === 'string' ? answer : '';
    },
    async openBrowser(url) {
      await channel.ask('openBrowser', [url]);
    },
    info: (message) => channel.tell('info', message),
    warn: (message) => channel.tell('warn', message),
    progress: (message) => channel.tell('progress', message),
  };
}

/** For requests that did not bring a client IO (a web page, a script): nothing can be asked. */
export function silentIO(env: Readonly<Record<string, string | undefined>>): ProviderIO {
  const refuse = async (): Promise<never> => {
    const { VaultError } = await import('@vault/core');
    throw new VaultError('INVALID_INPUT', 'This request cannot ask questions (no terminal or page is attached to it).', {
      fix: 'give every answer as a flag or its environment variable',
    });
  };
  return {
    interactive: false,
    noBrowser: true,
    env,
    prompt: refuse,
    openBrowser: refuse,
    info: () => undefined,
    warn: () => undefined,
    progress: () => undefined,
  };
}
