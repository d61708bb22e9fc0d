/**
 * Benchmark (not a test) of `vaultlink` with the agent, as ratios measured in one run, with the
 * commands interleaved round by round so machine noise hits all of them alike:
 *   - `vaultlink get LOCAL` with the agent vs `node -e 0`            (target <= 1.5)
 *   - `vaultlink get LINKED` (OpenBao) warm with the agent vs `vals get` of the same secret
 *     (target <= 2; without vals: vs `node -e 0`, target <= 1.5), and 0 upstream reads over 20
 *     sequential processes (OpenBao's audit log)
 *   - without the agent, for reference; `vaultlink run` without the agent, to show the key
 *     derivation overlapping newman's load
 *   - peak memory (max RSS) of one CLI call with the agent, and of the agent holding 1,000 values.
 *
 *   pnpm --filter vaultlink bench          (BENCH_ROUNDS=21 by default; needs OpenBao: the
 *                                           script runs under tools/peers/with-peers.mjs)
 * vals is found on PATH or in $(go env GOPATH)/bin; when missing and `go` is there it is
 * installed with `go install github.com/helmfile/vals/cmd/vals@v0.46.1` (minutes, once).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openVault } from '@vault/core';
import { requirePeer } from '../../../tools/peers/require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../../tools/peers/seed/openbao.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const BIN = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));
const peer = requirePeer('openbao');
if (!peer) throw new Error('the agent benchmark needs the OpenBao peer');
const bao = openBaoSeeder(peer);

const id = Math.random().toString(36).slice(2, 8);
const root = mkdtempSync(join(tmpdir(), 'vaultlink-agent-bench-'));
const home = join(root, 'home');
const secretPath = `bench-${id}/app`;
const linkedValue = `bench-linked-${id}-value`;
const passphrase = `bench-${id}-passphrase`;
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VAULTLINK_HOME: home,
  VAULTLINK_PASSPHRASE: passphrase,
  VAULTLINK_KEYCHAIN: 'off',
  VAULTLINK_TEAM_CONFIG: join(root, 'team.json'),
  VAULTLINK_MEMORY_PROVIDER_FILE: join(root, 'memory.json'),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const agentEnv = { ...env, VAULTLINK_AGENT: 'on' };
const offEnv = { ...env, VAULTLINK_AGENT: 'off' };

function cli(args, { env: extra = agentEnv, input } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: extra, input, encoding: 'utf8', cwd: root });
  if (result.status !== 0) throw new Error(`vaultlink ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

function timed(command, args, options) {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: root, ...options });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function peakRssMiB(args, extraEnv) {
  const result = spawnSync('/usr/bin/time', ['-f', '%M', ...args], { env: extraEnv, encoding: 'utf8', cwd: root });
  const kib = Number(result.stderr.trim().split('\n').pop());
  return Math.round((kib / 1024) * 10) / 10;
}

function findVals() {
  const candidates = [];
  try {
    candidates.push(execFileSync('sh', ['-c', 'command -v vals'], { encoding: 'utf8' }).trim());
  } catch {
    // vals is not on PATH: try GOPATH next.
  }
  let gopath;
  try {
    gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
    candidates.push(join(gopath, 'bin', 'vals'));
  } catch {
    // No Go toolchain: no GOPATH candidate, and no install below.
  }
  const found = candidates.find((c) => c && existsSync(c));
  if (found || !gopath) return found;
  console.error('installing vals v0.46.1 with go install (first run only; takes minutes)…');
  execFileSync('go', ['install', 'github.com/helmfile/vals/cmd/vals@v0.46.1'], { stdio: 'inherit' });
  return join(gopath, 'bin', 'vals');
}

// --- setup: a real vault (default scrypt cost), a local and an OpenBao-linked secret, the agent.
cli(['init'], { env: offEnv });
cli(['set', 'local', '--stdin'], { env: offEnv, input: `bench-local-${id}-value` });
await bao.kvPut('secret', secretPath, { token: linkedValue });
await bao.writePolicy(`bench-${id}`, `path "secret/data/bench-${id}/*" { capabilities = ["read"] }`);
const memberToken = (await bao.createToken({ policies: [`bench-${id}`], ttl: '2h' })).token;
cli(
  [
    'setup',
    'hashicorp',
    '--bootstrap',
    '--vault-addr',
    peer.addr,
    '--oidc-name',
    `bench-${id}`,
    '--jwt-path',
    `bench-jwt-${id}`,
    '--policy-name',
    `bench-p-${id}`,
  ],
  { env: { ...offEnv, VAULT_TOKEN: peer.rootToken } },
);
cli(['agent', 'start']);
cli(['connect', 'hashicorp', '--method', 'token', '--token-stdin'], { input: memberToken });
cli(['link', 'linked', '--provider', 'hashicorp', '--engine', 'secret', '--path', secretPath, '--key', 'token']);
if (cli(['get', 'linked']) !== linkedValue) throw new Error('the linked secret does not resolve');

const vals = findVals();
const valsEnv = { PATH: process.env.PATH, HOME: process.env.HOME, VAULT_ADDR: peer.addr, VAULT_TOKEN: memberToken };
const valsRef = `ref+vault://secret/${secretPath}#/token`;
if (vals && timed(vals, ['get', valsRef], { env: valsEnv }).stdout.trim() !== linkedValue)
  throw new Error('vals does not read the same secret');

// --- interleaved rounds
const reads = () => countAuditRequests(peer.auditLog, { path: `secret/data/${secretPath}`, operation: 'read' });
const samples = { node: [], local: [], linked: [], vals: [] };
// 20 sequential warm processes on their own (vals reads the same path, so it is not interleaved here).
const readsBefore = reads();
for (let i = 0; i < 20; i++)
  if (timed(process.execPath, [BIN, 'get', 'linked'], { env: agentEnv }).stdout !== linkedValue) throw new Error('wrong value');
const warmReads = reads() - readsBefore;
for (let round = 0; round < ROUNDS; round++) {
  samples.node.push(timed(process.execPath, ['-e', '0'], { env }).ms);
  samples.local.push(timed(process.execPath, [BIN, 'get', 'local'], { env: agentEnv }).ms);
  samples.linked.push(timed(process.execPath, [BIN, 'get', 'linked'], { env: agentEnv }).ms);
  if (vals) samples.vals.push(timed(vals, ['get', valsRef], { env: valsEnv }).ms);
}
// Without the agent: with the passphrase (scrypt on every command), and with VAULTLINK_KEY (no KDF).
const keyEnv = { ...offEnv, VAULTLINK_PASSPHRASE: '', VAULTLINK_KEY: cli(['key', 'export'], { env: offEnv }) };
const noAgent = { local: [], linked: [], localKey: [] };
for (let round = 0; round < 5; round++) {
  noAgent.local.push(timed(process.execPath, [BIN, 'get', 'local'], { env: offEnv }).ms);
  noAgent.linked.push(timed(process.execPath, [BIN, 'get', 'linked'], { env: offEnv }).ms);
  noAgent.localKey.push(timed(process.execPath, [BIN, 'get', 'local'], { env: keyEnv }).ms);
}

// --- `vaultlink run` without the agent: the key derivation runs while newman loads.
const server = createServer((request, response) => response.end('ok'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const collection = (header) =>
  JSON.stringify({
    info: { name: 'bench', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [{ name: 'call', request: { method: 'GET', url: `http://127.0.0.1:${server.address().port}/`, header } }],
  });
writeFileSync(join(root, 'with-secret.json'), collection([{ key: 'X-Token', value: '{{vault:local}}' }]));
const runs = { passphrase: [], key: [], agent: [] };
for (let round = 0; round < 5; round++) {
  const runArgs = [BIN, 'run', join(root, 'with-secret.json'), '--reporters', 'cli', '--color', 'off'];
  runs.passphrase.push((await timedAsync(runArgs, offEnv)).ms);
  runs.key.push((await timedAsync(runArgs, keyEnv)).ms);
  runs.agent.push((await timedAsync(runArgs, agentEnv)).ms);
}
server.close();

async function timedAsync(args, runEnv) {
  // spawnSync would block the loopback server this collection calls.
  const { spawn } = await import('node:child_process');
  const start = performance.now();
  await new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { env: runEnv, cwd: root, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun() : reject(new Error(`run exited ${code}`))));
  });
  return { ms: performance.now() - start };
}

// --- memory
const memory = {
  node: peakRssMiB([process.execPath, '-e', '0'], env),
  getWithAgent: peakRssMiB([process.execPath, BIN, 'get', 'local'], agentEnv),
  getWithoutAgent: peakRssMiB([process.execPath, BIN, 'get', 'local'], offEnv),
};
const entries = 1000;
const documents = {};
for (let i = 0; i < entries; i++) documents[`bench/${i}`] = { versions: [`v${i}-`.padEnd(256, 'x')] };
writeFileSync(env.VAULTLINK_MEMORY_PROVIDER_FILE, JSON.stringify({ documents }));
cli(['connect', 'memory']);
// Written by this process without the agent (the agent notices the file changed).
const vault = await openVault({ env: { ...env } });
for (let i = 0; i < entries; i++) await vault.link(`m${i}`, 'memory', { path: `bench/${i}` });
const before1000 = JSON.parse(cli(['agent', 'status', '--json']));
const text = Array.from({ length: entries }, (_, i) => `{{vault:m${i}}}`).join('\n');
cli(['resolve'], { input: text });
const after1000 = JSON.parse(cli(['agent', 'status', '--json']));
if (after1000.cache.entries.length < entries)
  throw new Error(`expected ${entries} cached values, the agent holds ${after1000.cache.entries.length}`);

cli(['agent', 'stop']);
rmSync(root, { recursive: true, force: true });

// --- report
const m = Object.fromEntries(
  Object.entries(samples)
    .filter(([, xs]) => xs.length)
    .map(([k, xs]) => [k, median(xs)]),
);
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const results = [
  { what: '`vaultlink get LOCAL` with the agent / `node -e 0`', value: ratio(m.local, m.node), target: 1.5 },
  vals
    ? { what: '`vaultlink get LINKED` warm with the agent / `vals get`', value: ratio(m.linked, m.vals), target: 2 }
    : {
        what: '`vaultlink get LINKED` warm with the agent / `node -e 0` (vals not available)',
        value: ratio(m.linked, m.node),
        target: 1.5,
      },
  { what: 'upstream reads over 20 sequential warm `get LINKED` processes (OpenBao audit log)', value: warmReads, target: 0 },
];
console.log(`\nmedians over ${ROUNDS} interleaved rounds:`);
console.log(`  node -e 0                          ${fmt(m.node)}`);
console.log(`  vaultlink get LOCAL  (agent)       ${fmt(m.local)}`);
console.log(`  vaultlink get LINKED (agent, warm) ${fmt(m.linked)}`);
if (vals) console.log(`  vals get (same OpenBao secret)     ${fmt(m.vals)}`);
console.log(
  `  ratios: LOCAL/node ${ratio(m.local, m.node)}, LINKED/node ${ratio(m.linked, m.node)}${vals ? `, LINKED/vals ${ratio(m.linked, m.vals)}` : ''}`,
);
console.log(`  vaultlink get LOCAL  (no agent)    ${fmt(median(noAgent.local))}   (5 runs, passphrase: scrypt)`);
console.log(`  vaultlink get LOCAL  (VAULTLINK_KEY, no agent) ${fmt(median(noAgent.localKey))}   (5 runs, no KDF)`);
console.log(`  vaultlink get LINKED (no agent)    ${fmt(median(noAgent.linked))}   (5 runs)`);
const kdf = median(noAgent.local) - median(noAgent.localKey);
const runKdf = median(runs.passphrase) - median(runs.key);
console.log(
  `  vaultlink run, 1 request: passphrase ${fmt(median(runs.passphrase))}, VAULTLINK_KEY ${fmt(median(runs.key))}, agent ${fmt(median(runs.agent))}   (5 runs each)`,
);
console.log(`  the KDF alone costs a command      ${fmt(kdf)}   (get LOCAL: passphrase - VAULTLINK_KEY)`);
console.log(`  the KDF costs \`run\`               ${fmt(runKdf)}   (run: passphrase - VAULTLINK_KEY; it overlaps newman's load)`);
console.log('\npeak memory (max RSS):');
console.log(`  node -e 0                          ${memory.node} MiB`);
console.log(`  vaultlink get LOCAL with the agent ${memory.getWithAgent} MiB`);
console.log(`  vaultlink get LOCAL without agent  ${memory.getWithoutAgent} MiB`);
console.log(`  the agent, before the 1,000 values ${before1000.memory.rssMiB} MiB resident (heap ${before1000.memory.heapUsedMiB} MiB)`);
console.log(
  `  the agent holding ${after1000.cache.entries.length} values     ${after1000.memory.rssMiB} MiB resident (heap ${after1000.memory.heapUsedMiB} MiB); peak ${after1000.memory.peakRssMiB} MiB, from the scrypt of its unlock`,
);
console.log('\ntargets:');
let failed = false;
for (const r of results) {
  const pass = r.value <= r.target;
  failed ||= !pass;
  console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${r.what}: ${r.value} (target <= ${r.target})`);
}
process.exitCode = failed ? 1 : 0;
