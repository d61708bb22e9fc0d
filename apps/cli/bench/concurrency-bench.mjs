/**
 * How much per-provider concurrency buys against a distant vault: 200 secrets read through
 * core's engine (the path `resolve` and `run` take) from OpenBao and from moto behind a proxy
 * that adds 50 ms each way, at the old global default of 4 calls at once and at each
 * provider's declared concurrency (and 64). Prints times and the speed-up ratio of one run.
 * Run by `pnpm bench` (the peers harness starts OpenBao and moto, or reuses running ones).
 */
import { performance } from 'node:perf_hooks';
import { gateFor, readLinks } from '@vault/core/provider';
import { createAwsProvider } from '@vault/provider-aws';
import { createHashicorpProvider } from '@vault/provider-hashicorp';
import { requirePeer } from '../../../tools/peers/require-peer.mjs';
import { motoSeeder } from '../../../tools/peers/seed/moto.mjs';
import { openBaoSeeder } from '../../../tools/peers/seed/openbao.mjs';
import { startLatencyProxy } from './latency-proxy.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const SECRETS = Number(process.env.BENCH_SECRETS ?? 200);
const DELAY_MS = 50;
const LEVELS = [4, 'declared', 64];
const run = `bench-${Date.now().toString(36)}`;
const io = { interactive: false, env: {}, prompt: async () => '', openBrowser: async () => {}, info() {}, warn() {}, progress() {} };

async function measure(label, provider, links, session) {
  // One warm-up read (clients, engine detection, connections), then each level once.
  await readLinks(provider, links.slice(0, 1), session);
  const rows = [];
  for (const level of LEVELS) {
    const concurrency = level === 'declared' ? provider.capabilities.concurrency : level;
    const started = performance.now();
    const results = await readLinks(provider, links, session, { gate: gateFor(provider, { concurrency }) });
    const ms = performance.now() - started;
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(`${label}: ${failed.length} reads failed, e.g. ${failed[0].error.code} ${failed[0].error.message}`);
    rows.push({ level: level === 'declared' ? `${concurrency} (declared)` : String(concurrency), ms });
  }
  const base = rows[0].ms;
  console.log(`\n${label}: ${links.length} secrets, +${DELAY_MS} ms each way`);
  for (const row of rows)
    console.log(`  concurrency ${row.level.padEnd(14)} ${row.ms.toFixed(0).padStart(6)} ms   speed-up ×${(base / row.ms).toFixed(2)} vs 4`);
  return rows;
}

async function hashicorp() {
  const peer = requirePeer('openbao');
  const bao = openBaoSeeder(peer);
  await Promise.all(Array.from({ length: SECRETS }, (_, i) => bao.kvPut('secret', `${run}/s${i}`, { v: `bench-hc-${i}` })));
  const proxy = await startLatencyProxy(peer.addr, { delayMs: DELAY_MS });
  try {
    const provider = createHashicorpProvider();
    const session = await provider.authenticate({ method: 'token', token: peer.rootToken, vaultAddr: proxy.url }, io, {});
    const links = Array.from({ length: SECRETS }, (_, i) =>
      provider.parseLink({ engine: 'secret', path: `${run}/s${i}`, key: 'v', kvVersion: '2' }),
    );
    return await measure('HashiCorp Vault (OpenBao), one read per document', provider, links, session);
  } finally {
    await proxy.close();
  }
}

async function aws() {
  const peer = requirePeer('moto');
  const seeder = motoSeeder(peer);
  const arns = [];
  for (let i = 0; i < SECRETS; i++) arns.push((await seeder.createSecret(`${run}/s${i}`, `bench-aws-${i}`)).arn);
  seeder.destroy();
  const proxy = await startLatencyProxy(peer.endpoint, { delayMs: DELAY_MS });
  process.env.AWS_ENDPOINT_URL = proxy.url;
  try {
    const provider = createAwsProvider();
    const session = await provider.authenticate(
      { accessKeyId: 'AKIABENCH00000000001', secretAccessKey: 'bench', region: peer.region },
      io,
      {},
    );
    const links = arns.map((arn) => provider.parseLink({ arn }));
    return await measure(
      `AWS Secrets Manager (moto), BatchGetSecretValue of ${provider.capabilities.maxBatchSize}`,
      provider,
      links,
      session,
    );
  } finally {
    delete process.env.AWS_ENDPOINT_URL;
    await proxy.close();
  }
}

const hc = await hashicorp();
const aw = await aws();
const ratio = (rows) => (rows[0].ms / rows[1].ms).toFixed(2);
console.log(`\nspeed-up of the declared concurrency over 4: HashiCorp ×${ratio(hc)}, AWS ×${ratio(aw)} (one run, same machine)`);
process.exit(0);
