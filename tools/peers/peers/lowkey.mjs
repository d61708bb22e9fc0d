// Lowkey Vault (Azure Key Vault test double): HTTPS API on one port, HTTP token/cert port on another.
// Its self-signed certificate is exported as PEM and trusted through NODE_EXTRA_CA_CERTS; TLS
// verification stays on everywhere.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { lowkeyJarPath } from '../install.mjs';
import { findJava } from '../lib/prereqs.mjs';
import { spawnPeer } from '../lib/proc.mjs';
import { PeerStartError, fetchWithTimeout, freePort, waitUntilReady } from '../lib/wait.mjs';

export async function startLowkey({ runDir, timeoutMs = 120_000, java }) {
  const javaBin = java ?? findJava().java;
  if (!javaBin) throw new PeerStartError('lowkey', findJava().problem.what);
  const [port, tokenPort] = [await freePort(), await freePort()];
  const proc = spawnPeer('lowkey', javaBin, [
    // C1 only: Lowkey starts noticeably faster on a 2-core machine and the tests are I/O bound.
    '-XX:TieredStopAtLevel=1',
    '-jar',
    lowkeyJarPath(),
    `--server.port=${port}`,
    `--app.token.port=${tokenPort}`,
  ]);
  const tokenUrl = `http://localhost:${tokenPort}`;
  await waitUntilReady(proc, async () => (await fetchWithTimeout(`${tokenUrl}/ping`)).ok, {
    timeoutMs,
    what: `answering ${tokenUrl}/ping`,
  });

  const pem = await exportCertificate(tokenUrl, javaBin, proc, runDir);
  fs.writeFileSync(path.join(runDir, 'lowkey-ca.pem'), pem);
  // NODE_EXTRA_CA_CERTS names one file: Lowkey's PEM plus whatever the caller already trusted that way.
  const caBundle = writeCaBundle(pem, path.join(runDir, 'extra-ca-bundle.pem'));

  const url = `https://localhost:${port}`;
  // Lowkey registers https://localhost:PORT and https://127.0.0.1:PORT as two separate vaults.
  const secondUrl = `https://127.0.0.1:${port}`;
  for (const vault of [url, secondUrl]) {
    const status = await verifiedStatus(`${vault}/secrets?api-version=7.4`, pem);
    // 200 = vault exists and answered over verified TLS; 401 would mean it wants a token (also fine).
    if (status !== 200 && status !== 401)
      throw new PeerStartError('lowkey', `vault ${vault} answered HTTP ${status} over verified TLS`, proc.logFile);
  }
  return {
    name: 'lowkey',
    procs: [proc],
    env: {
      PEER_LOWKEY_URL: url,
      PEER_LOWKEY_SECOND_URL: secondUrl,
      PEER_LOWKEY_TOKEN_URL: tokenUrl,
      NODE_EXTRA_CA_CERTS: caBundle,
    },
  };
}

/** Downloads the served PKCS#12 store and converts its certificate to PEM with the JDK's keytool. */
async function exportCertificate(tokenUrl, javaBin, proc, runDir) {
  const [p12Res, pwRes] = await Promise.all([
    fetchWithTimeout(`${tokenUrl}/metadata/default-cert/lowkey-vault.p12`),
    fetchWithTimeout(`${tokenUrl}/metadata/default-cert/password`),
  ]);
  if (!p12Res.ok || !pwRes.ok)
    throw new PeerStartError('lowkey', `certificate download failed (p12 ${p12Res.status}, password ${pwRes.status})`, proc.logFile);
  const p12File = path.join(runDir, 'lowkey-vault.p12');
  fs.writeFileSync(p12File, Buffer.from(await p12Res.arrayBuffer()));
  const password = (await pwRes.text()).trim();
  const keytool = path.join(path.dirname(javaBin), 'keytool');
  const r = spawnSync(
    keytool === 'keytool' ? 'keytool' : keytool,
    ['-list', '-rfc', '-keystore', p12File, '-storetype', 'PKCS12', '-storepass', password],
    { encoding: 'utf8' },
  );
  const blocks = (r.stdout ?? '').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (r.status !== 0 || !blocks)
    throw new PeerStartError('lowkey', `keytool could not read the served p12: ${r.error?.message ?? r.stderr}`, proc.logFile);
  const pem = `${blocks.join('\n')}\n`;
  const cert = new X509Certificate(blocks[0]);
  // Verification stays on, so the certificate must name the hosts we connect to.
  if (!/DNS:localhost\b/.test(cert.subjectAltName ?? '')) {
    throw new PeerStartError('lowkey', `served certificate has no SAN for localhost (SANs: ${cert.subjectAltName})`, proc.logFile);
  }
  return pem;
}

function writeCaBundle(lowkeyPem, file) {
  const inherited = process.env.NODE_EXTRA_CA_CERTS;
  let bundle = lowkeyPem;
  if (inherited && fs.existsSync(inherited)) bundle = `${fs.readFileSync(inherited, 'utf8').trimEnd()}\n${lowkeyPem}`;
  fs.writeFileSync(file, bundle);
  return file;
}

/** GET over TLS that trusts exactly the given PEM (verification on). Resolves the HTTP status. */
export function verifiedStatus(url, caPem, timeoutMs = 5_000) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: caPem, headers: { Authorization: 'Bearer harness-probe' }, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.once('error', reject);
  });
}

export async function lowkeyReachable(env) {
  return (await fetchWithTimeout(`${env.PEER_LOWKEY_TOKEN_URL}/ping`)).ok;
}
