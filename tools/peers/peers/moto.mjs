// moto servers: one open (no auth), one with SigV4 + IAM policy checks enforced.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VENV_BIN } from '../lib/paths.mjs';
import { spawnPeer } from '../lib/proc.mjs';
import { PeerStartError, fetchWithTimeout, freePort, waitUntilReady } from '../lib/wait.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SEED_ADMIN_SCRIPT = path.join(HERE, 'moto_seed_admin.py');
/** moto_server plus a fix so auth failures reach JSON-protocol SDK clients as typed errors (see the file). */
const SERVER_SCRIPT = path.join(HERE, 'moto_server_compat.py');
export const MOTO_REGION = 'us-east-1';

async function startMotoServer(name, timeoutMs) {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // Real AWS credentials in the environment must never reach moto (or anything moto calls).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const proc = spawnPeer(name, path.join(VENV_BIN, 'python'), [SERVER_SCRIPT, '-H', '127.0.0.1', '-p', String(port)], { env });
  await waitUntilReady(proc, async () => (await fetchWithTimeout(`${endpoint}/moto-api/`)).status === 200, {
    timeoutMs,
    what: 'answering GET /moto-api/',
  });
  return { proc, endpoint };
}

export async function startMoto({ timeoutMs = 60_000 } = {}) {
  const { proc, endpoint } = await startMotoServer('moto', timeoutMs);
  return { name: 'moto', procs: [proc], env: { PEER_MOTO_ENDPOINT: endpoint, PEER_MOTO_REGION: MOTO_REGION } };
}

export async function startMotoAuth({ timeoutMs = 60_000 } = {}) {
  const { proc, endpoint } = await startMotoServer('moto-auth', timeoutMs);
  const admin = await seedAdmin(endpoint, proc);
  return {
    name: 'moto-auth',
    procs: [proc],
    env: {
      PEER_MOTO_AUTH_ENDPOINT: endpoint,
      PEER_MOTO_ADMIN_ACCESS_KEY_ID: admin.accessKeyId,
      PEER_MOTO_ADMIN_SECRET_ACCESS_KEY: admin.secretAccessKey,
      PEER_MOTO_REGION: MOTO_REGION,
    },
  };
}

/** Runs moto_seed_admin.py (boto3 from the venv); it turns auth on and proves it is on. */
function seedAdmin(endpoint, proc) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(VENV_BIN, 'python'), [SEED_ADMIN_SCRIPT, endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', (e) => reject(new PeerStartError('moto-auth', `admin seeding could not run: ${e.message}`, proc.logFile)));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new PeerStartError('moto-auth', `admin seeding failed (exit ${code}):\n${err.trim()}`, proc.logFile));
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(new PeerStartError('moto-auth', `admin seeding printed no JSON (${error.message})`, proc.logFile));
      }
    });
  });
}

export async function motoReachable(endpoint) {
  return (await fetchWithTimeout(`${endpoint}/moto-api/`)).status === 200;
}
