// Makes sure peers die with the process that owns them: normal exit, uncaught error, or a signal.
import { killAllNow } from './proc.mjs';

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * onSignal(signal) runs once on the first SIGINT/SIGTERM/SIGHUP (it should stop things gracefully
 * and exit); a second signal kills every owned peer group at once and exits.
 */
export function installLifecycle(onSignal) {
  process.on('exit', killAllNow);
  process.on('uncaughtException', (error) => {
    console.error(error);
    killAllNow();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    killAllNow();
    process.exit(1);
  });
  let signalled = false;
  for (const signal of Object.keys(SIGNAL_NUMBERS)) {
    process.on(signal, () => {
      if (signalled) {
        killAllNow();
        process.exit(128 + SIGNAL_NUMBERS[signal]);
      }
      signalled = true;
      Promise.resolve(onSignal(signal)).catch((error) => {
        console.error(error);
        killAllNow();
        process.exit(128 + SIGNAL_NUMBERS[signal]);
      });
    });
  }
}

export const exitCodeFor = (signal) => 128 + (SIGNAL_NUMBERS[signal] ?? 0);
