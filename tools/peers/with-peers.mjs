#!/usr/bin/env node
// Runs a command with the test peers up:
//   node tools/peers/with-peers.mjs [--peers=openbao,moto,moto-auth,lowkey] [--] <cmd> [args...]
// Installs + starts the peers (in parallel), exports PEER_* / NODE_EXTRA_CA_CERTS / VAULTLINK_PEERS,
// runs the command with inherited stdio, stops every peer and exits with the command's exit code.
// Reuses peers already described by the environment (VAULTLINK_PEERS set and reachable).
// VAULTLINK_SKIP_PEERS=1 is the only way to run without peers, and it says so loudly.
import { spawn } from 'node:child_process';
import { exitCodeFor, installLifecycle } from './lib/lifecycle.mjs';
import { parsePeerList } from './lib/peer-names.mjs';
import { forgetRecord, killAllNow, recordCommand } from './lib/proc.mjs';
import { reusablePeers, startPeers } from './start.mjs';

const log = (line) => console.error(line);

function parseArgs(argv) {
  let peersArg;
  let i = 0;
  for (; i < argv.length; i++) {
    if (argv[i].startsWith('--peers=')) peersArg = argv[i].slice('--peers='.length);
    else if (argv[i] === '--') {
      i++;
      break;
    } else break;
  }
  return { peers: parsePeerList(peersArg), command: argv.slice(i) };
}

export function skipBanner() {
  const bar = '!'.repeat(78);
  return [
    bar,
    '!!  VAULTLINK_SKIP_PEERS=1: RUNNING WITHOUT TEST PEERS (OpenBao, moto, Lowkey Vault).',
    '!!  Integration tests against real servers will be SKIPPED. This proves nothing about',
    '!!  the providers. CI never sets this; unset it to run the real thing.',
    bar,
  ].join('\n');
}

let child;
let stopPeers = async () => {};
let signalled;

function runCommand(command, env, { watched = false } = {}) {
  return new Promise((resolve) => {
    // Same process group as us: Ctrl-C in a terminal reaches the command directly.
    child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
    if (watched && child.pid) recordCommand(child.pid);
    child.once('error', (error) => {
      log(`[peers] could not run '${command[0]}': ${error.message}`);
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      if (watched && child.pid) forgetRecord(child.pid);
      resolve(code ?? exitCodeFor(signal));
    });
  });
}

async function main() {
  const { peers, command } = parseArgs(process.argv.slice(2));
  if (command.length === 0) {
    log('usage: node tools/peers/with-peers.mjs [--peers=openbao,moto,moto-auth,lowkey] [--] <command> [args...]');
    return 2;
  }

  if (process.env.VAULTLINK_SKIP_PEERS === '1') {
    log(skipBanner());
    return runCommand(command, process.env);
  }

  const reuse = await reusablePeers(peers);
  if (reuse.reusable) {
    log(`[peers] reusing running peers from the environment: ${process.env.VAULTLINK_PEERS}`);
    return runCommand(command, process.env);
  }
  if (process.env.VAULTLINK_PEERS) log(`[peers] not reusing the peers in the environment (${reuse.reason}); starting new ones`);

  const started = Date.now();
  const up = await startPeers(peers, { log });
  stopPeers = up.stop;
  log(`[peers] all up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${up.env.VAULTLINK_PEERS}`);
  if (signalled) return exitCodeFor(signalled);
  const code = await runCommand(command, { ...process.env, ...up.env }, { watched: true });
  return code;
}

installLifecycle(async (signal) => {
  signalled = signal;
  log(`[peers] ${signal}: stopping the command and the peers`);
  // The command usually got the terminal's SIGINT too; forward it for the other cases (kill, CI).
  if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  else {
    await stopPeers();
    process.exit(exitCodeFor(signal));
  }
});

main().then(
  async (code) => {
    await stopPeers();
    process.exit(signalled ? exitCodeFor(signalled) : code);
  },
  async (error) => {
    log(error?.message ?? String(error));
    await stopPeers();
    killAllNow();
    process.exit(1);
  },
);
