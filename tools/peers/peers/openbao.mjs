// OpenBao dev server on a free loopback port, with a known root token and a KV v1 mount at kv1/.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VENV_BIN } from '../lib/paths.mjs';
import { spawnPeer } from '../lib/proc.mjs';
import { PeerStartError, fetchWithTimeout, freePort, waitUntilReady } from '../lib/wait.mjs';

export async function startOpenBao({ runDir, timeoutMs = 60_000 }) {
  const port = await freePort();
  const token = `vaultlink-root-${randomBytes(8).toString('hex')}`;
  const addr = `http://127.0.0.1:${port}`;
  // The dev server writes ~/.vault-token style state; keep it out of the user's home.
  const home = path.join(runDir, 'openbao-home');
  fs.mkdirSync(home, { recursive: true });
  const env = { ...withoutVaultEnv(process.env), HOME: home };
  // OpenBao refuses to enable audit devices over the API; declare a file device in config instead,
  // so tests can count upstream requests (values in it are HMAC'd, never plain).
  const auditLog = path.join(runDir, 'openbao-audit.log');
  fs.writeFileSync(auditLog, '');
  const config = path.join(runDir, 'openbao-dev.hcl');
  fs.writeFileSync(config, `audit "file" "vaultlink" {\n  options {\n    file_path = ${JSON.stringify(auditLog)}\n  }\n}\n`);
  const proc = spawnPeer(
    'openbao',
    path.join(VENV_BIN, 'bao'),
    ['server', '-dev', `-config=${config}`, `-dev-root-token-id=${token}`, `-dev-listen-address=127.0.0.1:${port}`, '-log-level=info'],
    { env },
  );
  await waitUntilReady(proc, async () => (await fetchWithTimeout(`${addr}/v1/sys/health`)).status === 200, {
    timeoutMs,
    what: 'healthy (GET /v1/sys/health = 200)',
  });
  // secret/ is KV v2 in dev mode; tests also need a KV v1 engine.
  const mount = await fetch(`${addr}/v1/sys/mounts/kv1`, {
    method: 'POST',
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'kv', options: { version: '1' } }),
  });
  if (!mount.ok) throw new PeerStartError('openbao', `mounting kv1/ failed: HTTP ${mount.status} ${await mount.text()}`, proc.logFile);
  return {
    name: 'openbao',
    procs: [proc],
    env: { PEER_OPENBAO_ADDR: addr, PEER_OPENBAO_ROOT_TOKEN: token, PEER_OPENBAO_AUDIT_LOG: auditLog },
  };
}

/** A developer's VAULT_ and BAO_ variables must not steer the dev server (e.g. VAULT_ADDR to prod). */
function withoutVaultEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('VAULT_') && !k.startsWith('BAO_')));
}

export async function openBaoReachable(env) {
  const res = await fetchWithTimeout(`${env.PEER_OPENBAO_ADDR}/v1/auth/token/lookup-self`, {
    headers: { 'X-Vault-Token': env.PEER_OPENBAO_ROOT_TOKEN },
  });
  return res.ok;
}
