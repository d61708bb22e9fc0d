import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { VaultError } from '@vault/core';
import type { CliStreams } from './streams.js';

/**
 * Asks one question on the terminal (question on stderr, answer from stdin).
 * Secret answers are read with echo off: readline writes through a sink we mute
 * right after the question is shown, so typed characters never reach the screen.
 */
export function askOnTerminal(
  streams: CliStreams,
  question: string,
  options: { secret?: boolean; default?: string } = {},
): Promise<string> {
  let muted = false;
  const sink = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) streams.stderr.write(chunk, encoding);
      callback();
    },
  });
  const rl = createInterface({ input: streams.stdin, output: sink, terminal: true });
  const shown = options.default !== undefined && !options.secret ? `${question} [${options.default}]: ` : `${question}: `;
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      if (options.secret) streams.stderr.write('\n');
      if (!answered) reject(new VaultError('ABORTED', `Cancelled while asking: ${question}`));
    });
    rl.question(shown, (answer) => {
      answered = true;
      rl.close();
      resolve(answer === '' && options.default !== undefined ? options.default : answer);
    });
    // The question is written synchronously above; everything after it is the user's typing.
    muted = options.secret === true;
  });
}
