// Installs and starts a set of peers in parallel, returning the env they export and a stop().
// Any failure stops everything already started before the error propagates.
import fs from 'node:fs';
import { installPeers } from './install.mjs';
import { runStateDir } from './lib/paths.mjs';
import { ALL_PEERS, requiredPeerEnv } from './lib/peer-names.mjs';
import { killAllNow, reapOrphans, startWatchdog, stopPeer } from './lib/proc.mjs';
import { lowkeyReachable, startLowkey } from './peers/lowkey.mjs';
import { motoReachable, startMoto, startMotoAuth } from './peers/moto.mjs';
import { openBaoReachable, startOpenBao } from './peers/openbao.mjs';

const STARTERS = {
  openbao: startOpenBao,
  moto: startMoto,
  'moto-auth': startMotoAuth,
  lowkey: startLowkey,
};

const REACHABLE = {
  openbao: openBaoReachable,
  moto: (env) => motoReachable(env.PEER_MOTO_ENDPOINT),
  'moto-auth': (env) => motoReachable(env.PEER_MOTO_AUTH_ENDPOINT),
  lowkey: lowkeyReachable,
};

/** The peers listed in VAULTLINK_PEERS, if every one of `wanted` is listed, has its env and answers. */
export async function reusablePeers(wanted, env = process.env) {
  if (!env.VAULTLINK_PEERS) return { reusable: false, reason: 'VAULTLINK_PEERS is not set' };
  const listed = env.VAULTLINK_PEERS.split(',').map((s) => s.trim());
  for (const peer of wanted) {
    if (!listed.includes(peer)) return { reusable: false, reason: `VAULTLINK_PEERS does not list ${peer}` };
    const missing = requiredPeerEnv(peer).filter((k) => !env[k]);
    if (missing.length) return { reusable: false, reason: `${peer} is listed but ${missing.join(', ')} is not set` };
    try {
      if (!(await REACHABLE[peer](env))) return { reusable: false, reason: `${peer} does not answer` };
    } catch (error) {
      return { reusable: false, reason: `${peer} does not answer (${error.cause?.code ?? error.message})` };
    }
  }
  return { reusable: true };
}

/**
 * Installs what is needed, then starts `peers` in parallel. Resolves
 * { env, timings: { peer: ms }, stop() } or rejects after stopping whatever did start.
 */
export async function startPeers(peers = ALL_PEERS, { log = console.error, runId = String(process.pid) } = {}) {
  await reapOrphans(log);
  startWatchdog();
  const installStarted = Date.now();
  const { java } = await installPeers(peers, log);
  log(`[peers] install check done in ${Date.now() - installStarted} ms`);

  const runDir = runStateDir(runId);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const started = [];
  const timings = {};
  const results = await Promise.allSettled(
    peers.map(async (peer) => {
      const t0 = Date.now();
      const result = await STARTERS[peer]({ java, runDir });
      started.push(result);
      timings[peer] = Date.now() - t0;
      log(`[peers] ${peer} ready in ${(timings[peer] / 1000).toFixed(1)} s`);
      return result;
    }),
  );
  const stop = async () => {
    await Promise.all(started.flatMap((r) => r.procs.map((p) => stopPeer(p))));
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (failures.length) {
    // Procs of a peer whose start failed half-way are not in `started`; killAllNow gets them too.
    await stop();
    killAllNow();
    throw failures.length === 1 ? failures[0] : new AggregateError(failures, failures.map((f) => f.message).join('\n\n'));
  }
  const env = Object.assign({}, ...started.map((r) => r.env), { VAULTLINK_PEERS: peers.join(',') });
  return { env, timings, runDir, procs: started.flatMap((r) => r.procs), stop };
}
